"""Screen and print notes: ``{div}`` / ``{raw:latex}`` with ``:only:`` are Sphinx's ``only`` for every build, and
each block's kind matches where its expression holds, so JupyterLab's MyST renderer shows what a screen shows."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exercises.book.media_blocks import BLOCK, ONLY_OPTION, holds

ROOT = Path(__file__).resolve().parents[1]
SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")


@pytest.mark.parametrize(("expression", "screen", "trainer_print"), [
    ("html", True, False), ("latex", False, True), ("html or trainer", True, True),
    ("latex and not trainer", False, False), ("latex and trainer", False, True), ("not (latex or trainer)", True, False),
])
def test_expressions_hold_as_sphinx_evaluates_them(expression, screen, trainer_print):
    assert holds(expression) is screen
    assert holds(expression, {"latex", "trainer"}) is trainer_print


@pytest.mark.parametrize("expression", ["", "html or", "(html", "html latex", "html & latex"])
def test_an_expression_it_cannot_read_is_refused(expression):
    with pytest.raises(ValueError):
        holds(expression)


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "book").glob("*.md")))
def test_each_note_is_shown_on_screen_exactly_when_its_expression_holds_there(page):
    text = (ROOT / "book" / page).read_text(encoding="utf-8")
    assert not re.search(r"^[`:]{3,}\{only\}", text, re.M), "write {div} or {raw:latex} with :only: (see media_blocks)"
    for block in BLOCK.finditer(text):
        option = ONLY_OPTION.match(block.group("body"))
        expression = option.group("expression") if option else "latex"
        assert holds(expression) is (block.group("name") == "div"), (page, block.group(0)[:80])


PAGE = """# 页面

开头。

```{div}
:only: html
网页上的**说明**。
```

```{raw:latex}
:only: latex and not trainer
学员讲义上的说明。
```

````{raw:latex}
:only: trainer
教师版的答案。
````

```{raw:latex}
默认只印在讲义上。
```

:::{div}
:only: html or trainer
网页和教师版都有。
:::

结尾。
"""


def sphinx(tmp_path: Path, builder: str, *tags: str, page: str = PAGE) -> subprocess.CompletedProcess:
    source = tmp_path / "source"
    source.mkdir(exist_ok=True)
    (source / "index.md").write_text(page, encoding="utf-8")
    (source / "conf.py").write_text('extensions = ["myst_parser", "exercises.book.media_blocks"]\n'
                                    'myst_enable_extensions = ["colon_fence"]\nlanguage = "zh_CN"\n', encoding="utf-8")
    out = tmp_path / f"{builder}-{'-'.join(tags)}"
    tag_args = [arg for tag in tags for arg in ("-t", tag)]
    return subprocess.run([str(SPHINX_BUILD), "-b", builder, "-W", "-q", *tag_args, str(source), str(out)],
                          capture_output=True, text=True, timeout=300)


def built_text(tmp_path: Path, builder: str, *tags: str) -> str:
    result = sphinx(tmp_path, builder, *tags)
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / f"{builder}-{'-'.join(tags)}"
    return "".join(p.read_text(encoding="utf-8") for p in out.glob("*.html" if builder == "html" else "*.tex"))


@pytest.mark.process
@pytest.mark.parametrize(("builder", "tags", "kept"), [
    ("html", (), {"网页上的", "网页和教师版都有"}),
    ("latex", (), {"学员讲义上的说明", "默认只印在讲义上"}),
    ("latex", ("trainer",), {"教师版的答案", "默认只印在讲义上", "网页和教师版都有"}),
])
def test_sphinx_keeps_each_note_for_its_builds(tmp_path, builder, tags, kept):
    notes = {"网页上的", "学员讲义上的说明", "教师版的答案", "默认只印在讲义上", "网页和教师版都有"}
    text = built_text(tmp_path, builder, *tags)
    assert {note for note in notes if note in text} == kept
    assert ":only:" not in text and "开头" in text and "结尾" in text


@pytest.mark.process
def test_a_note_of_the_wrong_kind_stops_the_build(tmp_path):
    result = sphinx(tmp_path, "html", page="# 页面\n\n```{div}\n:only: latex\n讲义上的话。\n```\n")
    assert result.returncode != 0 and "{raw:latex}" in result.stderr
