"""The answer form of a question as data: which controls it has and how their values make a response.

A question type describes its form with these controls; every renderer (widget, static HTML, print,
page script) draws controls, never question types. Values of the controls, in order, become the
response the grader takes through one of three shapes:

- ``one``: the only control's value (a choice group's value or list of values, or a text);
- ``list``: the list of all controls' values;
- ``by_label``: a mapping from each control's label to its value.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHAPES = ("one", "list", "by_label")
SHORT_CHOICE = 4  # characters of a choice that still fits on one line with the others


@dataclass(frozen=True)
class Choice:
    """A group of radio buttons (``multiple`` false) or check boxes; each choice is (value, text)."""

    legend: str
    choices: tuple[tuple[Any, str], ...]
    multiple: bool = False

    @property
    def one_line(self) -> bool:
        """Whether every choice is short enough (正确 / 错误) to be listed on one line."""
        return all(len(text) <= SHORT_CHOICE for _, text in self.choices)


@dataclass(frozen=True)
class TextField:
    """A typed answer: one line, or several (``multiline``)."""

    label: str
    multiline: bool = False


@dataclass(frozen=True)
class Select:
    """A drop-down list of texts, with nothing chosen at first."""

    label: str
    choices: tuple[str, ...]


Control = Choice | TextField | Select


@dataclass(frozen=True)
class Form:
    """A question's controls and the shape their values take as a response."""

    controls: tuple[Control, ...]
    shape: str = "one"

    def response(self, values: list) -> Any:
        """The response made of the controls' current values (in control order)."""
        if self.shape == "one":
            return values[0] if values else None
        if self.shape == "list":
            return list(values)
        return {_label(control): value for control, value in zip(self.controls, values)}

    def values(self, response: Any) -> list:
        """The controls' values that show ``response`` (the inverse of :meth:`response`); unknown parts empty."""
        if self.shape == "one":
            return [response]
        if self.shape == "list":
            given = response if isinstance(response, (list, tuple)) else []
            return [given[i] if i < len(given) else None for i in range(len(self.controls))]
        by_label = response if isinstance(response, dict) else {}
        return [by_label.get(_label(control)) for control in self.controls]

    def to_json(self) -> dict:
        """The form for the page script."""
        return {"shape": self.shape, "controls": [control_json(c) for c in self.controls]}


def _label(control: Control) -> str:
    """The name a control's value goes by in a ``by_label`` response."""
    return control.legend if isinstance(control, Choice) else control.label


def control_json(control: Control) -> dict:
    if isinstance(control, Choice):
        return {"kind": "choice", "legend": control.legend, "multiple": control.multiple,
                "choices": [[value, text] for value, text in control.choices]}
    if isinstance(control, TextField):
        return {"kind": "text", "label": control.label, "multiline": control.multiline}
    return {"kind": "select", "label": control.label, "choices": list(control.choices)}
