"""Chinese numerals as the course writes them: 第三章, 全部四章, 一、二、 section numbers."""
from __future__ import annotations

DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0..99 in Chinese numerals: 0 → 〇, 4 → 四, 10 → 十, 12 → 十二, 21 → 二十一."""
    if not 0 <= n < 100:
        raise ValueError(f"chinese_number covers 0..99, not {n}")
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def all_chapters(count: int) -> str:
    """The label of every chapter together: 全部四章 (one chapter: 本章)."""
    return f"全部{chinese_number(count)}章" if count > 1 else "本章"
