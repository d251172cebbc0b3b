"""Chinese word segmentation with jieba, the course's user dictionary and stop words; literal term counts.

jieba is imported, and its dictionary loaded, only on the first call that segments text.
Charts count what a reader can count: jieba (with the user dictionary and stop words) only picks
which words to show; each word's number is how often its exact characters occur in the text.
The words the article's charts show are kept in ``data/chart-words.json``, keyed by a digest of the text, the
user dictionary and the stop words, so that opening a chapter draws its chart without loading jieba's
dictionary (about 1 s); any other text, or a changed dictionary, is segmented. ``python -m
exercises.text.analysis`` rewrites the file; a test checks that it matches what jieba gives.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from functools import lru_cache
from importlib import resources

from .article import DAMAGE_MARK, load_article

USER_DICT = resources.files("exercises").joinpath("data/userdict.txt")
STOP_WORDS_FILE = resources.files("exercises").joinpath("data/stopwords.txt")
CHART_WORDS_FILE = resources.files("exercises").joinpath("data/chart-words.json")
HAN = re.compile(r"[\u4e00-\u9fff]")

#: How every chart of the course counts; each chart's caption carries this sentence.
COUNTING_RULE = (
    "计数方法：每个词的次数就是它在原文中逐字出现的次数，读者可以自己数出；"
    "一个词出现在较长的词语里也计入（如“人才导师机制”中的“人才”计入“人才”），所以各词次数不能相加。"
    "哪些词上图由分词决定（分词词典已加入本文术语），“的”“和”等虚词、“推进”“深化”等泛用动词和“举措”等泛称不列入；"
    "损坏的句子只计其可辨认的部分。"
)
#: The order of words with equal counts, for the table captions.
TIE_RULE = "次数相同的词按在原文中首次出现的先后排列"


@lru_cache(maxsize=1)
def _tokenizer():
    """A jieba tokenizer with the course dictionary (dictionary load paid once per process)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if not _sound(tokenizer.FREQ, tokenizer.total):  # jieba trusts any cache file in the temp folder
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    with USER_DICT.open("rb") as handle:
        tokenizer.load_userdict(handle)
    return tokenizer


def _sound(freq: object, total: object) -> bool:
    """Whether a prefix dictionary read from jieba's cache has the shape jieba builds: word → count, total > 0."""
    return (isinstance(freq, dict) and bool(freq) and type(total) is int and total > 0
            and all(type(word) is str and type(count) is int and count >= 0 for word, count in freq.items()))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(w.strip() for w in STOP_WORDS_FILE.read_text("utf-8").splitlines() if w.strip())


def user_terms() -> list[str]:
    """The terms of the course's user dictionary."""
    return [line.split()[0] for line in USER_DICT.read_text("utf-8").splitlines() if line.strip()]


def segment(text: str) -> list[str]:
    """Words of ``text`` (punctuation and spaces dropped)."""
    return [w for w in _tokenizer().lcut(text) if w.strip() and HAN.search(w) or w.isalnum()]


def readable(text: str) -> str:
    """``text`` without the damage mark: only what the article itself says is counted."""
    return text.replace(DAMAGE_MARK, "")


def chart_words(text: str, min_length: int = 2) -> list[str]:
    """The content words of ``text`` a chart may show, in order of first occurrence (no stop words)."""
    known = _known_chart_words().get(chart_words_key(text, min_length))
    return list(known) if known is not None else segmented_chart_words(text, min_length)


def segmented_chart_words(text: str, min_length: int = 2) -> list[str]:
    """``chart_words`` as jieba gives them (what ``data/chart-words.json`` keeps)."""
    stops = stop_words()
    words = (w for w in segment(readable(text)) if len(w) >= min_length and w not in stops and HAN.search(w))
    return list(dict.fromkeys(words))


def chart_words_key(text: str, min_length: int) -> str:
    """The digest of everything ``segmented_chart_words`` depends on but jieba itself."""
    digest = hashlib.sha256(f"{min_length}\0{text}\0".encode())
    for source in (USER_DICT, STOP_WORDS_FILE):
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _known_chart_words() -> dict[str, list[str]]:
    return json.loads(CHART_WORDS_FILE.read_text("utf-8")) if CHART_WORDS_FILE.is_file() else {}


def chart_texts() -> list[str]:
    """The texts the article's charts count: each pillar's paragraph, and all of them together."""
    paragraphs = [readable(p.paragraph) for p in load_article().pillars]
    return [*paragraphs, readable("\n".join(paragraphs))]


def chart_words_table() -> dict[str, list[str]]:
    """The content of ``data/chart-words.json`` for the current article, dictionary and stop words."""
    return {chart_words_key(text, 2): segmented_chart_words(text) for text in chart_texts()}


def literal_count(text: str, term: str) -> int:
    """How often ``term`` occurs in ``text`` character for character (what a reader can count)."""
    return readable(text).count(term)


def term_counts(text: str, top: int = 12, minimum: int = 2) -> list[tuple[str, int]]:
    """The ``top`` most frequent chart words of ``text`` occurring at least ``minimum`` times, counted literally."""
    body = readable(text)
    counts = [(w, body.count(w)) for w in chart_words(body)]
    ranked = sorted((item for item in counts if item[1] >= minimum), key=lambda item: (-item[1], body.index(item[0])))
    return ranked[:top]


def term_matrix(texts: list[str], top: int = 14) -> tuple[list[str], list[list[int]]]:
    """The ``top`` most frequent chart words of all ``texts`` together, and their literal count in each text."""
    terms = [word for word, _ in term_counts("\n".join(texts), top=top)]
    return terms, [[literal_count(text, term) for text in texts] for term in terms]


def covers(answer: str, clause_words: list[set[str]], term: str) -> bool:
    """Whether an answer covers ``term``: verbatim, or every content word of it in any order within one clause
    (so that two clauses swapping their objects, e.g. 主题主线 and 重要内容, do not count)."""
    if term in answer:
        return True
    stops = stop_words()
    wanted = {w for w in segment(term) if w not in stops}
    return bool(wanted) and any(wanted <= words for words in clause_words)


def clauses(text: str) -> list[str]:
    """``text`` cut into clauses at commas, full stops, semicolons, question and exclamation marks and line breaks."""
    return [c for c in re.split(r"[，。；！？,.;!?\n]", text) if c.strip()]


if __name__ == "__main__":  # the maintainer's step after changing the article's cleaning, the dictionary or stop words
    table = sorted(chart_words_table().items())
    text = "{\n" + ",\n".join(f'"{key}": {json.dumps(words, ensure_ascii=False)}' for key, words in table) + "\n}\n"
    from ..safeio import atomic_write

    atomic_write(str(CHART_WORDS_FILE), text.encode("utf-8"))
    sys.stdout.write(f"已写入 {CHART_WORDS_FILE}\n")
