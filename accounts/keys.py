"""API keys as text: how one is made and how it is recognised. Only the SHA-256 of a key is
stored; whoever checks a key hashes what it was sent and looks the hash up."""

import hashlib
import secrets

PREFIX_LENGTH = 8


def new_api_key() -> str:
    """A fresh key: 43 URL-safe characters (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
