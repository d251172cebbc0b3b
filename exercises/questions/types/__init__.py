"""The registry of question types: each type lives in a module of its own and registers here."""
from __future__ import annotations

from .base import QuestionType

REGISTRY: dict[str, QuestionType] = {}


def register(kind: QuestionType) -> QuestionType:
    """Make ``kind`` known to the bank loader, the graders and every renderer."""
    REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    REGISTRY.pop(name, None)


def type_of(question_or_name) -> QuestionType:
    """The type of a question (or of a type name)."""
    name = question_or_name if isinstance(question_or_name, str) else question_or_name.type
    return REGISTRY[name]


def empty_field(name: str):
    """The empty value of a type's own field on a question of another type (``q.options`` of a 填空题 is ``()``);
    AttributeError when no registered type has the field."""
    for kind in REGISTRY.values():
        if name in kind.properties:
            return () if kind.properties[name].get("type") == "array" else None
    raise AttributeError(name)


def type_names() -> dict[str, str]:
    """Every registered type's name and label, e.g. {"single": "单选题", …}."""
    return {name: kind.label for name, kind in REGISTRY.items()}


def _register_builtin() -> None:
    from . import fill, match, multiple, order, short, single, truefalse

    for module in (single, multiple, truefalse, fill, order, match, short):
        register(module.TYPE)


_register_builtin()
