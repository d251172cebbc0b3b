"""What every question type provides. One subclass per type, in a module of its own, owns all that is
true of the type whatever the output: its fields and their checks, how it is graded and given partial
credit, its answer text, what counts as unanswered, its answer form, and sample responses for tests."""
from __future__ import annotations

import random
import unicodedata
from abc import ABC, abstractmethod
from typing import Any

from ..form import Form
from ..model import OPTION_KEYS, Question
from ..outcome import Grade


class EntryError(ValueError):
    """A cell of a paper's answer-entry sheet that is not an answer to its question; the message is Chinese."""


class QuestionType(ABC):
    """Base of the question types; subclasses set the class attributes and override the methods."""

    name = ""              # the ``type`` value in bank files, e.g. "single"
    label = ""             # e.g. "单选题"
    position = 100         # where the type comes among the types (papers' sections, lists of types)
    default_points = 1.0
    rule = ""              # the scoring rule, as shown to learners
    properties: dict = {}  # JSON Schema of the type's own fields in a bank file
    required: tuple[str, ...] = ()
    texts: dict[str, str] = {}  # message templates ("{name}" placeholders), shared with the page script
    page_check = True      # whether the page script can grade it (short answers need jieba)
    reference_score = False  # scored for self-checking only, reported beside totals, never inside them
    entry_hint = ""        # how a paper's answer is typed into its answer-entry cell; "": marked by hand on paper

    def check(self, raw: dict) -> list[tuple[str, str]]:
        """Checks the schema cannot express, as (field, Chinese message) pairs."""
        return []

    def build(self, raw: dict) -> dict:
        """The :class:`Question` slots this type fills from a bank entry."""
        return {}

    @abstractmethod
    def grade(self, q: Question, response: Any) -> Grade:
        """Grade any response; unusable input is unanswered, never an exception."""

    @abstractmethod
    def answer_text(self, q: Question) -> str:
        """The answer key as one readable line."""

    @abstractmethod
    def correct_response(self, q: Question) -> Any:
        """A response that earns full marks."""

    @abstractmethod
    def wrong_response(self, q: Question) -> Any:
        """A response that earns no marks (for tests and demonstrations)."""

    @abstractmethod
    def form(self, q: Question) -> Form:
        """The answer form the renderers draw."""

    def grading_data(self, q: Question) -> dict:
        """What the page script needs besides the common fields to grade ``q``."""
        return {}

    def accepted_texts(self, q: Question) -> list[str]:
        """Texts an answer is compared with after normalisation (the page script needs their t2s map)."""
        return []

    def shuffled(self, q: Question, rng: random.Random) -> Question:
        """``q`` with its choices in a new order (for seeded papers); the key follows them."""
        return q

    def read_entry(self, q: Question, text: str) -> Any:
        """The response typed (``text``, NFKC, stripped) into a paper's answer-entry cell, in printed keys;
        raise EntryError when it cannot be an answer to ``q``. Types without ``entry_hint`` are marked by hand."""
        raise EntryError("这道题在纸面评阅，应录入得分")

    def say(self, text_name: str, /, **values: Any) -> str:
        """One of the type's texts with its placeholders filled."""
        return self.texts[text_name].format(**values)


def option_key(value: Any, count: int) -> str | None:
    """Accept an option key ("b", "Ｂ") or an index; anything else is no answer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():  # JSON 1.0 is 1 to the page script: read it alike
        value = int(value)
    if isinstance(value, int) and 0 <= value < count:
        return OPTION_KEYS[value]
    if isinstance(value, str) and len(value) <= 8:
        key = unicodedata.normalize("NFKC", value).strip().upper()
        if len(key) == 1 and key in OPTION_KEYS[:count]:
            return key
    return None


def shuffled_texts(values: tuple[str, ...], seed: str) -> list[str]:
    """A stable shuffle that never leaves the list in its original order (when it can)."""
    order = list(values)
    rng = random.Random(seed)
    for _ in range(10):
        rng.shuffle(order)
        if order != list(values):
            break
    return order
