"""The package's layers, read from the code: no import runs upwards, learners never import trainer tools,
no module imports another module's private names, and only type modules and renderers know question types."""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "exercises"
# Lowest first; a module may import its own layer and the layers before it.
LAYERS = ["foundation", "text", "questions", "renderers", "book", "trainer", "cli"]
LEARNER_FACING = ("renderers", "book")


def layer_of(module: str) -> str:
    """``exercises.questions.bank`` → "questions"; top-level modules by name."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return parts[1]
    return "cli" if parts[-1] in ("cli", "__main__") or parts[1:2] == ["commands"] else "foundation"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) of every package import in the file, resolved to absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = module_name(path).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
            if target == "exercises" or target.startswith("exercises."):
                found.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("exercises")]
    return found


def package_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_known_layer():
    assert {layer_of(module_name(p)) for p in package_files()} == set(LAYERS)


def test_no_import_runs_up_the_layers():
    upward = []
    for path in package_files():
        here = layer_of(module_name(path))
        for target, names, line in imports(path):
            targets = [target] + [f"{target}.{n}" for n in names if target in ("exercises",) and n in LAYERS]
            for t in targets:
                if LAYERS.index(layer_of(t)) > LAYERS.index(here):
                    upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({here}) imports {t}")
    assert upward == []


def test_learner_facing_code_never_imports_trainer_tools():
    found = [f"{p.relative_to(PACKAGE.parent)}:{line} imports {t}" for p in package_files()
             if layer_of(module_name(p)) in LEARNER_FACING for t, _, line in imports(p) if layer_of(t) == "trainer"]
    assert found == []


def test_no_module_imports_private_names():
    private = [f"{p.relative_to(PACKAGE.parent)}:{line} imports {n} from {t}" for p in package_files()
               for t, names, line in imports(p) for n in names if n.startswith("_") and n != "__version__"]
    assert private == []


# A question's type compared with something (markdown-it tokens also have a .type; they are not questions).
TYPE_BRANCH = re.compile(r"""\b(?!token\b)\w+\.type\s*(==|!=|in\b|not in\b)|\[["']type["']\]\s*(==|!=|in\b|not in\b)""")


def test_only_type_modules_know_question_types():
    """Outside exercises/questions/types no code compares a question's type."""
    offenders = []
    for path in package_files():
        if "types" in path.relative_to(PACKAGE).parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if TYPE_BRANCH.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_checks_see_an_upward_import(tmp_path):
    """The import reader resolves relative imports, so an upward one is seen."""
    path = PACKAGE / "questions" / "grading.py"
    found = {t for t, _, _ in imports(path)}
    assert "exercises.questions.types" in found and "exercises.questions.model" in found
    assert LAYERS.index(layer_of("exercises.trainer.records.report")) > LAYERS.index(layer_of(module_name(path)))


def test_architecture_document_names_every_subpackage():
    text = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for sub in sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")):
        assert f"exercises/{sub}/" in text, sub
    for path in (PACKAGE / "questions" / "types").glob("[!_]*.py"):
        assert path.stem in text, path.name
