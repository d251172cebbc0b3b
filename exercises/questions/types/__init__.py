"""The registry of question types: each type lives in a module of its own in this package, found and registered
here (a module with a ``TYPE``); nothing here names a type."""
from __future__ import annotations

from importlib import import_module
from pkgutil import iter_modules

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
    """Register the ``TYPE`` of every module in this package, in the order of their ``position``."""
    modules = [import_module(f"{__name__}.{m.name}") for m in iter_modules(__path__) if m.name != "base"]
    for kind in sorted((m.TYPE for m in modules if hasattr(m, "TYPE")), key=lambda k: (k.position, k.name)):
        register(kind)


_register_builtin()
