"""Shared text preparation: NFKC, traditional -> simplified (OpenCC), accent folding,
hanzi detection and squashing to letters/digits/hanzi.

OpenCC's dictionaries and the hanzi patterns are built on first use, once per process.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Hanzi as pypinyin sees them (basic block, extension A, compatibility, extension B+).
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN_RE = re.compile(r"[^\W_]+")  # runs of letters/digits/hanzi (str.isalnum)


class _HanPatterns:
    """Patterns over hanzi, compiled on first use (their big classes cost ~10 ms to build)."""

    def __init__(self) -> None:
        self.any = re.compile(f"[{_HAN}]")
        self.runs = re.compile(f"[{_HAN}]+")
        self.space_between = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")
        # A district after a city prefix: "海淀区", "浦东新区" (not "区块链", "区域").
        self.district = re.compile(f"^[{_HAN}]{{2,3}}?(?:新区|区|县)(?!块|域|间)")


@functools.cache
def _han() -> _HanPatterns:
    return _HanPatterns()


@functools.cache
def _t2s_state():
    """OpenCC('t2s') and the set of characters that can make it change a string at all.

    Converting costs ~100 µs even for text that is already simplified; the trigger set lets
    the (usual) simplified input skip it. Built from the converter's own dictionaries."""
    from opencc import OpenCC  # noqa: PLC0415 - a heavy library, loaded on first use

    converter = OpenCC("t2s")
    triggers: set[str] | None = set()
    try:
        for group in converter._dict_chain_data:
            for _max_len, _min_len, table in group:
                for key, value in table.items():
                    target = value.split(" ")[0]
                    if target == key:
                        continue
                    if len(target) == len(key):
                        triggers.update(k for k, t in zip(key, target, strict=True) if k != t)
                    else:
                        triggers.update(key)
    except (AttributeError, TypeError, ValueError):  # another opencc layout: always convert
        triggers = None
    return converter, (frozenset(triggers) if triggers is not None else None)


def _to_simplified(text: str) -> str:
    converter, triggers = _t2s_state()
    if triggers is not None and triggers.isdisjoint(text):
        return text
    return converter.convert(text)


@functools.cache
def _latin_fold_table() -> dict[int, str]:
    """Accented Latin letters -> their base letters ("é" -> "e", "ß" -> "ss")."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base != char and base.isascii() and base:
            table[code] = base
    table.update({ord(k): v for k, v in {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"}.items()})
    table.update({ord(k): v for k, v in {"đ": "d", "ł": "l", "þ": "th", "ı": "i"}.items()})
    return table


def _prepare(raw: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified, lowercase, no accents."""
    text = unicodedata.normalize("NFKC", raw or "")
    if not text.isascii():
        text = _to_simplified(text).lower().translate(_latin_fold_table())
        return text
    return text.lower()


def _is_han(text: str) -> bool:
    return bool(text) and _han().runs.fullmatch(text) is not None


def _squash(text: str) -> str:
    """Only letters, digits and hanzi."""
    return "".join(ch for ch in text if ch.isalnum())
