"""Toneless pinyin of hanzi text, cached per segmented word."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=65536)
def _segment_pinyin(segment: str) -> str:
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415 - a heavy library, loaded on first use

    return "".join(lazy_pinyin(segment, style=Style.NORMAL))


def _pinyin(text: str) -> str:
    """The same as "".join(lazy_pinyin(text, style=Style.NORMAL)), per-word cached."""
    if text.isascii():
        return text
    from pypinyin.seg.simpleseg import seg  # noqa: PLC0415 - a heavy library, loaded on first use

    return "".join(_segment_pinyin(segment) for segment in seg(text))
