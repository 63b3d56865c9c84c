"""PostgreSQL pg_trgm-compatible trigrams and similarity."""

from __future__ import annotations

from .text import _TOKEN_RE


def trigrams(text: str) -> set[str]:
    """pg_trgm's show_trgm(): per alphanumeric word, padded "  word ", every 3-char slice."""
    grams: set[str] = set()
    for word in _TOKEN_RE.findall((text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): |A ∩ B| / |A ∪ B| of the two trigram sets."""
    left, right = trigrams(a), trigrams(b)
    if not left and not right:
        return 0.0
    union = len(left | right)
    return len(left & right) / union if union else 0.0
