"""E-mail addresses and company domains (registered domain of a site or address).

The bundled public suffix list is loaded on first use, once per process.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from email.utils import parseaddr
from urllib.parse import urlsplit

from .. import vocab

_EMAIL_RE = re.compile(
    r"[^\s@<>()\[\],;:\"'.][^\s@<>()\[\],;:\"']*@"
    r"(?:[^\W_](?:(?:[^\W_]|-)*[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)"
)
_EMAIL_SEARCH_RE = re.compile(r"[^\s<>()\[\],;:\"'，；、]+@[^\s<>()\[\],;:\"'，；、]+")
_AT_RE = re.compile(r"\s*[\[({<]\s*(?:at|艾特)\s*[\])}>]\s*", re.I)
_DOT_RE = re.compile(r"\s*[\[({<]\s*dot\s*[\])}>]\s*", re.I)


def _valid_email(candidate: str) -> bool:
    if not candidate or _EMAIL_RE.fullmatch(candidate) is None:
        return False
    local = candidate.rsplit("@", 1)[0]
    return not local.endswith(".") and ".." not in candidate


def normalize_email(raw: str) -> str | None:
    """One e-mail address, lowercased ("Zhang San <ZS@Example.COM>" -> "zs@example.com"),
    or None unless the text holds something that looks like local@domain.tld."""
    text = unicodedata.normalize("NFKC", raw or "").strip().replace("。", ".")
    if not text:
        return None
    text = re.sub(r"^\s*mailto:", "", text, flags=re.I).split("?", 1)[0]
    text = _DOT_RE.sub(".", _AT_RE.sub("@", text))
    _name, address = parseaddr(text)
    candidates = [address] if "@" in address else []
    candidates += _EMAIL_SEARCH_RE.findall(text)
    for candidate in candidates:
        candidate = candidate.strip(".").lower()
        if _valid_email(candidate):
            return candidate
    return None


@functools.cache
def _tld_extract():
    import tldextract  # noqa: PLC0415 - a heavy library, loaded on first use

    # The bundled public suffix snapshot: no network, no cache directory.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@functools.cache
def _blocked_domains() -> frozenset[str]:
    return vocab.FREE_MAIL_DOMAINS | vocab.PLATFORM_DOMAINS


def _host_label_ok(label: str) -> bool:
    return bool(label) and label[0] != "-" and label[-1] != "-" and label.replace("-", "").isalnum()


def company_domain(raw: str) -> str | None:
    """The registered domain of a website or e-mail address ("huawei.com"), or None for
    free-mail providers, shared platforms, IP addresses and garbage."""
    text = unicodedata.normalize("NFKC", raw or "").strip().lower().replace("。", ".")
    if not text:
        return None
    if "@" in text and "://" not in text:
        email = normalize_email(text)
        if email is None:
            return None
        host = email.rsplit("@", 1)[1]
    else:
        # Several sites in one field ("www.a.com；www.b.cn"): the first one.
        text = next((t for t in re.split(r"[\s,;、|]+", text) if t), "")
        if "://" not in text:
            text = "http://" + text.lstrip("/")
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            return None
    host = host.strip(".")
    if not host or "." not in host:
        return None
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.split(".")
    if not all(_host_label_ok(label) for label in labels):
        return None
    extracted = _tld_extract()(host)
    registered = extracted.top_domain_under_public_suffix
    if not registered or not extracted.domain or not extracted.suffix:
        return None
    if extracted.domain in vocab.FREE_MAIL_BRANDS:
        # yahoo.com.hk, hotmail.co.uk, gmx.ch ...: the brand is free mail whatever the country.
        return None
    blocked = _blocked_domains()
    for start in range(len(labels) - registered.count(".")):
        if ".".join(labels[start:]) in blocked:
            return None
    return registered
