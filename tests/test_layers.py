"""The package's layers, read from the syntax tree: no import runs upwards, the trainer's rooms keep their rules,
learners never import trainer tools, no module imports another module's private names, and only the type
modules know question types. Each guard is shown to catch a planted violation."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from exercises.questions.types import type_names

PACKAGE = Path(__file__).resolve().parents[1] / "exercises"
# Lowest first; a module may import its own layer and the layers before it.
LAYERS = ["foundation", "text", "questions", "renderers", "book", "trainer", "cli"]
LEARNER_FACING = ("renderers", "book")
# The trainer's rooms: what each may import besides itself (records: the rotation's data; print: handouts,
# papers, TeX; serve: the classroom).
TRAINER_ROOMS = {"records": set(), "print": {"records"}, "serve": {"records", "print"}}
TYPE_HOME = ("questions", "types")  # the only place that may know a question's type


def module_name(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """``exercises.questions.bank`` → "questions"; the command modules and ``cli`` → "cli"; the rest foundation."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return parts[1]
    return "cli" if parts[-1] in ("cli", "__main__") or parts[1:2] == ["commands"] else "foundation"


def room_of(module: str) -> str | None:
    """``exercises.trainer.print.paper`` → "print"; None outside the trainer's rooms."""
    parts = module.split(".")
    return parts[2] if parts[1:2] == ["trainer"] and len(parts) > 2 and parts[2] in TRAINER_ROOMS else None


def imports(path: Path, package: Path = PACKAGE) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) of every package import in the file, resolved to absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = module_name(path, package).split(".")
    base_package = own if path.name == "__init__.py" else own[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = base_package[: len(base_package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
            if target == "exercises" or target.startswith("exercises."):
                found.append((target, [a.name for a in node.names], node.lineno))
                found += [(f"{target}.{a.name}", [], node.lineno) for a in node.names if not node.module]
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("exercises")]
    return found


def package_files(package: Path = PACKAGE) -> list[Path]:
    return sorted(package.rglob("*.py"))


def upward_imports(package: Path = PACKAGE) -> list[str]:
    upward = []
    for path in package_files(package):
        here = layer_of(module_name(path, package))
        for target, names, line in imports(path, package):
            targets = [target] + [f"{target}.{n}" for n in names if target == "exercises" and n in LAYERS]
            upward += [f"{path.relative_to(package.parent)}:{line} ({here}) imports {t}" for t in targets
                       if LAYERS.index(layer_of(t)) > LAYERS.index(here)]
    return upward


def room_violations(package: Path = PACKAGE) -> list[str]:
    """Imports between the trainer's rooms that their rules forbid."""
    found = []
    for path in package_files(package):
        here = room_of(module_name(path, package))
        if here is None:
            continue
        for target, _, line in imports(path, package):
            there = room_of(target)
            if there not in (None, here) and there not in TRAINER_ROOMS[here]:
                found.append(f"{path.relative_to(package.parent)}:{line} ({here}) imports {target}")
    return found


# ---- the type-branching guard --------------------------------------------------------------------
def _is_type(node: ast.AST) -> bool:
    """Whether ``node`` reads a question's type: ``q.type``, ``x["type"]``, ``x.get("type")``,
    ``type_of(...).name``. (markdown-it tokens also have a ``.type``; they are not questions.)"""
    if isinstance(node, ast.Attribute) and node.attr == "type":
        return not (isinstance(node.value, ast.Name) and node.value.id in ("token", "tok"))
    if isinstance(node, ast.Attribute) and node.attr == "name" and isinstance(node.value, ast.Call):
        func = node.value.func
        return isinstance(func, ast.Name) and func.id == "type_of" or isinstance(func, ast.Attribute) and func.attr == "type_of"
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "type"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return bool(node.args) and isinstance(node.args[0], ast.Constant) and node.args[0].value == "type"
    return False


def _names(node: ast.AST, names: set[str]) -> set[str]:
    """The type names written as string constants directly in a literal collection."""
    items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", [])
    return {i.value for i in items if isinstance(i, ast.Constant) and i.value in names}


def _is_name(node: ast.AST, names: set[str]) -> bool:
    return isinstance(node, ast.Constant) and node.value in names


def type_branches(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, code) of each place in ``source`` that branches on or tabulates a question's type."""
    found = []
    for node in ast.walk(ast.parse(source)):
        bad = False
        if isinstance(node, ast.Compare):  # q.type == "x", "x" != q.type, q.type in (...), type_of(q).name == ...
            bad = any(_is_type(side) for side in [node.left, *node.comparators])
        elif isinstance(node, ast.Match):  # match q.type: case "single": ...
            bad = _is_type(node.subject)
        elif isinstance(node, ast.Subscript):  # {"fill": 3}[q.type], POINTS["fill"]
            bad = _is_type(node.slice) and isinstance(node.value, ast.Dict) or _is_name(node.slice, names)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            key = node.args[0] if node.args else None
            bad = key is not None and (_is_type(key) and isinstance(node.func.value, ast.Dict) or _is_name(key, names))
        if isinstance(node, ast.Dict):  # a table keyed by type names, wherever it is looked up
            keys = [k for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            bad = bool(keys) and len(_names(node, names)) == len(keys)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):  # a literal list of type names
            bad = bad or len(_names(node, names)) >= 2
        if bad:
            found.append((node.lineno, ast.unparse(node)[:120]))
    return found


def type_branch_offenders(package: Path = PACKAGE) -> list[str]:
    names = set(type_names())
    return [f"{path.relative_to(package.parent)}:{line}: {code}" for path in package_files(package)
            if path.relative_to(package).parts[: len(TYPE_HOME)] != TYPE_HOME
            for line, code in type_branches(path.read_text(encoding="utf-8"), names)]


# ---- the rules on the real package ---------------------------------------------------------------
def test_every_module_belongs_to_a_known_layer():
    assert {layer_of(module_name(p)) for p in package_files()} == set(LAYERS)
    assert {room_of(module_name(p)) for p in package_files() if layer_of(module_name(p)) == "trainer"} \
        == {None, *TRAINER_ROOMS}


def test_no_import_runs_up_the_layers():
    assert upward_imports() == []


def test_the_trainer_rooms_keep_their_rules():
    """records imports neither print nor serve; print may import records, never serve; serve may import both."""
    assert room_violations() == []


def test_learner_facing_code_never_imports_trainer_tools():
    found = [f"{p.relative_to(PACKAGE.parent)}:{line} imports {t}" for p in package_files()
             if layer_of(module_name(p)) in LEARNER_FACING for t, _, line in imports(p) if layer_of(t) == "trainer"]
    assert found == []


def test_no_module_imports_private_names():
    private = [f"{p.relative_to(PACKAGE.parent)}:{line} imports {n} from {t}" for p in package_files()
               for t, names, line in imports(p) for n in names if n.startswith("_") and n != "__version__"]
    assert private == []


def test_only_type_modules_know_question_types():
    """Outside exercises/questions/types no code compares, matches or looks up a question's type, nor lists
    type names (the registry is the only list)."""
    assert type_branch_offenders() == []


# ---- each guard catches a planted violation ------------------------------------------------------
def _plant(root: Path, files: dict[str, str]) -> Path:
    """A package ``exercises`` under ``root`` with the given modules (and every ``__init__.py``)."""
    package = root / "exercises"
    for name, source in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        for folder in [path.parent, *path.parent.parents]:
            if folder == package.parent:
                break
            (folder / "__init__.py").touch()
    return package


def test_an_upward_import_is_caught(tmp_path):
    package = _plant(tmp_path, {"questions/bad.py": "from ..trainer.records import store\n",
                                "text/worse.py": "import exercises.book.chapter\n",
                                "questions/fine.py": "from ..text import article\n"})
    assert sorted(upward_imports(package)) == [
        "exercises/questions/bad.py:1 (questions) imports exercises.trainer.records",
        "exercises/text/worse.py:1 (text) imports exercises.book.chapter"]


@pytest.mark.parametrize("module, source, caught", [
    ("trainer/records/bad.py", "from ..print.certificates import write_certificates\n", True),
    ("trainer/records/bad.py", "from ..serve import app\n", True),
    ("trainer/print/bad.py", "from ..serve.writer import Writer\n", True),
    ("trainer/print/bad.py", "def f():\n    from exercises.trainer.serve import codes\n", True),
    ("trainer/print/fine.py", "from ..records.answer_sheet import write_answer_sheet\n", False),
    ("trainer/serve/fine.py", "from ..records import store\nfrom ..print import latex\n", False),
])
def test_a_trainer_room_violation_is_caught(tmp_path, module, source, caught):
    package = _plant(tmp_path, {module: source})
    assert bool(room_violations(package)) is caught


@pytest.mark.parametrize("source", [
    'if q.type == "short":\n    pass\n',
    'if "short" == q.type:\n    pass\n',
    'ok = q.type != "fill"\n',
    'ok = question.type in ("single", "multiple")\n',
    'ok = payload["type"] == "order"\n',
    'ok = payload.get("type") == "order"\n',
    'ok = type_of(q).name == "order"\n',
    'ok = types.type_of(q).name == "order"\n',
    'match q.type:\n    case "single":\n        pass\n',
    'points = {"fill": 3}.get(q.type)\n',
    'points = {"fill": 3, "short": 5}[q.type]\n',
    'points = POINTS["fill"]\n',
    'points = POINTS.get("short", 1)\n',
    'POINTS = {"fill": 3, "short": 5}\n',
    'KINDS = ("single", "multiple", "truefalse")\n',
])
def test_a_type_branch_is_caught(source):
    assert type_branches(source, set(type_names())), source


@pytest.mark.parametrize("source", [
    'if token.type == "heading_open":\n    pass\n',
    'kind = type_of(q)\npoints = kind.default_points\n',
    'data = {"kind": "choice", "multiple": True}\n',
    'used[q.type] += 1\n',
])
def test_code_that_does_not_branch_on_types_passes(source):
    assert type_branches(source, set(type_names())) == []


def test_a_type_branch_in_a_planted_module_is_found(tmp_path):
    package = _plant(tmp_path, {"renderers/bad.py": 'def f(q):\n    return "x" if "short" == q.type else "y"\n',
                                "questions/types/ok.py": 'def f(q):\n    return q.type == "short"\n'})
    assert type_branch_offenders(package) == ["exercises/renderers/bad.py:2: 'short' == q.type"]


def test_architecture_document_names_every_subpackage():
    text = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for sub in sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")):
        assert f"exercises/{sub}/" in text, sub
    for path in (PACKAGE / "questions" / "types").glob("[!_]*.py"):
        assert path.stem in text, path.name
