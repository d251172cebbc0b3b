"""Chinese word segmentation with jieba, the course's user dictionary and stop words.

jieba is imported, and its dictionary loaded, only on the first call that segments text.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

USER_DICT = resources.files("exercises").joinpath("data/userdict.txt")
STOP_WORDS_FILE = resources.files("exercises").joinpath("data/stopwords.txt")
HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _tokenizer():
    """A jieba tokenizer with the course dictionary (dictionary load paid once per process)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    with USER_DICT.open("rb") as handle:
        tokenizer.load_userdict(handle)
    return tokenizer


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(w.strip() for w in STOP_WORDS_FILE.read_text("utf-8").splitlines() if w.strip())


def user_terms() -> list[str]:
    """The terms of the course's user dictionary."""
    return [line.split()[0] for line in USER_DICT.read_text("utf-8").splitlines() if line.strip()]


def segment(text: str) -> list[str]:
    """Words of ``text`` (punctuation and spaces dropped)."""
    return [w for w in _tokenizer().lcut(text) if w.strip() and HAN.search(w) or w.isalnum()]


def keywords(text: str, top: int = 12, min_length: int = 2) -> list[tuple[str, int]]:
    """The most frequent content words of ``text``, without stop words."""
    stops = stop_words()
    counts = Counter(w for w in segment(text) if len(w) >= min_length and w not in stops and HAN.search(w))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def covers(answer: str, answer_words: set[str], term: str) -> bool:
    """Whether an answer covers ``term``: verbatim, or every content word of it in any order."""
    if term in answer:
        return True
    stops = stop_words()
    wanted = {w for w in segment(term) if w not in stops}
    return bool(wanted) and wanted <= answer_words


def term_matrix(texts: list[str], top: int = 12) -> tuple[list[str], list[list[int]]]:
    """The ``top`` keywords of all ``texts`` together, and how often each occurs in each text."""
    terms = [word for word, _ in keywords("".join(texts), top=top)]
    per_text = [Counter(segment(text)) for text in texts]
    return terms, [[counts[term] for counts in per_text] for term in terms]
