"""The locks agree with the declaration: each lock pins every dependency its part of pyproject.toml declares,
at an allowed version, for every Python the project supports (down to Debian 12's own 3.11.2)."""
from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRAS = {name: [Requirement(r) for r in reqs] for name, reqs in PROJECT["optional-dependencies"].items()}
BASE = [Requirement(r) for r in PROJECT["dependencies"]]
LOWEST_PYTHON = "3.11.2"  # Debian 12's /usr/bin/python3
# Each lock and what it must hold: what ./course installs, what ./course test installs, what Binder installs.
LOCKS = {
    "requirements.txt": BASE + EXTRAS["book"] + EXTRAS["trainer"],
    "requirements-dev.txt": BASE + [r for extra in EXTRAS.values() for r in extra],
    "binder/requirements.txt": BASE + EXTRAS["lab"],
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*$")


def pins(name: str) -> dict[str, str]:
    """The lock file's pins, by canonical project name."""
    found = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def _extra_requirements(requirement: Requirement) -> list[Requirement]:
    """What the requirement's extras (e.g. psycopg[binary]) add, from the installed distribution's metadata."""
    added = []
    for text in metadata.requires(requirement.name) or []:
        extra = Requirement(text)
        if extra.marker and any(extra.marker.evaluate({"extra": e}) for e in requirement.extras) \
                and not extra.marker.evaluate({"extra": ""}):
            added.append(extra)
    return added


def test_extras_split_learner_and_trainer():
    """A learner's kernel gets only the base set: no book builder, database, spreadsheet or web server."""
    base = {canonicalize_name(r.name) for r in BASE}
    assert {"ipywidgets", "jieba", "matplotlib", "opencc", "pyyaml", "jsonschema", "filelock", "ipython"} <= base
    assert not base & {"jupyter-book", "sphinx", "sqlalchemy", "psycopg", "openpyxl", "tornado", "argon2-cffi"}
    assert set(EXTRAS) == {"book", "trainer", "lab", "test"}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_declared_dependency_is_pinned_at_an_allowed_version(lock):
    pinned = pins(lock)
    wrong = []
    for requirement in LOCKS[lock]:
        if requirement.marker and not requirement.marker.evaluate():
            continue  # not for this platform
        for need in [requirement, *_extra_requirements(requirement)]:
            version = pinned.get(canonicalize_name(need.name))
            if version is None:
                wrong.append(f"{need} is not pinned in {lock}")
            elif not need.specifier.contains(version, prereleases=True):
                wrong.append(f"{need.name}=={version} in {lock} does not satisfy {need}")
    assert not wrong, "run ./requirements-lock.sh (README, 依赖与锁定):\n" + "\n".join(wrong)


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_installs_on_the_lowest_supported_python(lock):
    """Each pinned release's Requires-Python admits 3.11.2 (checked on the installed distributions)."""
    too_new = []
    for name, version in pins(lock).items():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # not installed here (e.g. only in Binder's image); the Binder test installs it
        requires = dist.metadata.get("Requires-Python")
        if dist.version == version and requires and not SpecifierSet(requires).contains(LOWEST_PYTHON):
            too_new.append(f"{name}=={version} requires Python {requires}")
    assert not too_new, "the lock must be resolved with Python 3.11.2 (./requirements-lock.sh):\n" + "\n".join(too_new)
    assert SpecifierSet(PROJECT["requires-python"]).contains(LOWEST_PYTHON)


def test_dev_lock_pins_the_runtime_lock_exactly():
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_binder_lock_agrees_with_the_dev_lock_on_the_views():
    """The JupyterLab and Voilà the tests run are the ones Binder installs."""
    binder, dev = pins("binder/requirements.txt"), pins("requirements-dev.txt")
    for requirement in EXTRAS["lab"]:
        name = canonicalize_name(requirement.name)
        assert binder[name] == dev[name], name
    assert binder["jupyterlab-language-pack-zh-cn"].split(".post")[0] == ".".join(binder["jupyterlab"].split(".")[:2])


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_lock_is_generated_installs_the_course_and_is_portable(lock):
    text = (ROOT / lock).read_text(encoding="utf-8")
    assert "autogenerated by pip-compile with Python 3.11" in text
    assert "-e ." in text.splitlines()  # installs the course package, editable (commands find the repository)
    options = [line for line in text.splitlines() if line.startswith("-") and line != "-e ."]
    assert not options, f"{lock}: machine-specific options {options}"
    assert not re.search(r"file://|/tmp/|/home/|/root/|/work/", text), f"{lock} names a local path"


def test_binder_python_matches_the_lock():
    assert (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"
    assert not (ROOT / "runtime.txt").exists() and not (ROOT / "apt.txt").exists()  # binder/ hides them from Binder
    assert SpecifierSet(PROJECT["requires-python"]).contains("3.11")
