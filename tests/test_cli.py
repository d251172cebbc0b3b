"""The command line: the console script's Chinese help and exit codes, the bootstrap, and working offline."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exercises.questions.bank import load_all
from exercises.questions.grading import grade

ROOT = Path(__file__).resolve().parents[1]
COURSE = Path(sys.executable).with_name("course")
COMMANDS = ("book", "test", "pdf", "report", "paper", "bench")
ENGLISH = re.compile(r"usage|positional arguments|options:|show this help|error:|required|invalid|unrecognized|Traceback",
                     re.IGNORECASE)


def course(*args: str, cwd: Path = ROOT, prefix: tuple[str, ...] = (), env: dict | None = None):
    return subprocess.run([*prefix, str(COURSE), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env)


def results_folder(folder: Path) -> Path:
    """Two learners' results files, graded by the course's grader as the notebook writes them."""
    folder.mkdir()
    questions = [q for bank in load_all() for q in bank.questions if q.type == "single"][:2]
    for name, right in (("甲", True), ("乙", False)):
        answers = {}
        for q in questions:
            response = q.answer if right else next(k for k in "ABCD"[: len(q.options)] if k != q.answer)
            g = grade(q, response)
            answers[q.id] = {"answer": g.response, "verdict": g.verdict, "score": g.score, "points": g.points,
                             "time": "2026-11-27T09:59:58+00:00"}
        data = {"format": "sige-course-results", "version": 1, "course_version": "0.1.0", "learner": name,
                "updated": "2026-11-27T10:00:00+00:00", "answers": answers}
        (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.process
def test_help_lists_every_command_in_chinese():
    done = course("--help")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("用法：course ")
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s+\S", done.stdout, re.M), name
    for words in ("选项：", "命令：", "显示本帮助并退出", "退出码：", "2    用法错误"):
        assert words in done.stdout
    assert not ENGLISH.search(done.stdout), ENGLISH.search(done.stdout)


@pytest.mark.process
@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_chinese_help_with_exit_codes(name):
    done = course(name, "--help")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith(f"用法：course {name} ")
    assert "显示本帮助并退出" in done.stdout and "退出码：" in done.stdout
    assert not ENGLISH.search(done.stdout), ENGLISH.search(done.stdout)


@pytest.mark.process
@pytest.mark.parametrize("args, words", [
    ((), "缺少参数：命令"),
    (("nosuch",), "无效的选择：'nosuch'"),
    (("report",), "缺少参数：成绩文件夹"),
    (("report", "a", "b", "c"), "无法识别的参数：c"),
    (("paper", "--seed", "x", "--count", "3"), "参数 --seed：应为整数，现在是“x”"),
    (("paper", "--seed", "1", "--count", "0"), "参数 --count：应为正整数，现在是 0"),
    (("bench", "--runs"), "参数 --runs：需要一个值"),
])
def test_usage_errors_exit_2_with_a_chinese_message(args, words):
    done = course(*args)
    assert done.returncode == 2 and done.stdout == ""
    usage, message = done.stderr.splitlines()
    assert usage.startswith("用法：course")
    assert words in message and "错误：" in message
    assert not ENGLISH.search(done.stderr), done.stderr


@pytest.mark.process
def test_user_errors_are_one_chinese_line_and_exit_1(tmp_path):
    results = results_folder(tmp_path / "成绩")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    cases = [
        (("report", str(tmp_path / "missing")), "找不到成绩文件夹"),
        (("report", str(results), str(blocked)), "无法写入报告"),
        (("paper", "--seed", "1", "--count", "4", "--no-pdf", str(blocked / "x")), "试卷未能生成"),
    ]
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    cases += [
        (("report", str(results), str(blocked)), "无法写入报告（已有同名的文件或文件夹）"),
        (("paper", "--seed", "1", "--count", "4", "--no-pdf", str(blocked)), "试卷未能生成（已有同名的文件或文件夹）"),
        (("paper", "--seed", "1", "--count", "4", "--no-pdf", str(blocked / "x")), "试卷未能生成（路径中有一段不是文件夹）"),
        (("report", str(empty), str(tmp_path / "out")), "空文件夹 中没有可以计入的学员成绩"),
        (("records", "--db", str(tmp_path / "r.sqlite"), "report", "没有这期"), "没有期次「没有这期」"),
    ]
    for args, words in cases:
        done = course(*args, cwd=tmp_path)
        assert done.returncode == 1, (args, done.stderr)
        assert len(done.stderr.splitlines()) == 1 and words in done.stderr, (args, done.stderr)
        assert not ENGLISH.search(done.stderr) and "Errno" not in done.stderr and "File exists" not in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.process
def test_a_paper_larger_than_the_banks_says_so(tmp_path):
    total = sum(len(b.questions) for b in load_all())
    done = course("paper", "--seed", "3", "--count", "99999", "--no-pdf", str(tmp_path / "卷"))
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()[:2]
    assert first == f"注意：题库只有 {total} 题，少于要求的 99999 题，试卷按全部 {total} 题生成。"
    assert second.startswith(f"已生成 {total} 题的试卷")
    done = course("paper", "--seed", "3", "--count", str(total), "--no-pdf", str(tmp_path / "卷2"))
    assert done.returncode == 0 and not done.stdout.startswith("注意"), done.stdout


def _network_cut() -> tuple[str, ...]:
    """A prefix that runs a command in a new network namespace (loopback only), or skip if none is allowed."""
    probe = "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 443), timeout=3)\nexcept OSError:\n    print('cut')"
    for prefix in (("unshare", "-n"), ("unshare", "-r", "-n")):
        try:
            done = subprocess.run([*prefix, sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            pytest.skip("unshare (util-linux) is not installed: cannot cut the network")
        if done.returncode == 0:
            assert done.stdout.strip() == "cut", "the network namespace still reaches the internet"
            return prefix
    pytest.skip(f"unshare -n is not permitted here ({done.stderr.strip()}): cannot cut the network")


@pytest.mark.process
def test_commands_work_with_the_network_cut(tmp_path):
    offline = _network_cut()
    for name in ("", *COMMANDS):
        done = course(*([name] if name else []), "--help", prefix=offline)
        assert done.returncode == 0 and done.stdout.startswith("用法：course"), (name, done.stderr)
    results_folder(tmp_path / "成绩")
    done = course("report", "成绩", "报告", prefix=offline, cwd=tmp_path)  # relative to where it is typed
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stdout and done.stderr == ""
    html = (tmp_path / "报告" / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "甲" in html and "乙" in html
    done = course("paper", "--seed", "7", "--count", "8", "--no-pdf", str(tmp_path / "卷"), prefix=offline)
    assert done.returncode == 0, done.stderr
    assert "已生成 8 题的试卷" in done.stdout and (tmp_path / "卷" / "paper-seed7-8q-key.json").is_file()


# ---- the bootstrap (./course) --------------------------------------------------------------------
def _fake_tools(folder: Path, installed: bool, uid: int = 0) -> dict:
    """dpkg-query, apt-get, sudo and id that record their calls; dpkg says every package is (not) installed."""
    folder.mkdir()
    log = folder / "calls.log"
    scripts = {
        "dpkg-query": f'echo "dpkg-query $*" >> {log}; printf "{"install ok installed" if installed else "unknown ok not-installed"}"',
        "apt-get": f'echo "apt-get $*" >> {log}',
        "sudo": f'echo "sudo $*" >> {log}; "$@"',
        "id": f'if [ "$1" = -u ]; then echo {uid}; else /usr/bin/id "$@"; fi',
    }
    for name, body in scripts.items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (folder / name).chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def _bootstrap(env: dict, *args: str):
    return subprocess.run([str(ROOT / "course"), *args], capture_output=True, text=True, timeout=900, env=env)


@pytest.mark.process
def test_bootstrap_asks_for_nothing_when_everything_is_installed(tmp_path):
    env = _fake_tools(tmp_path / "bin", installed=True, uid=1000)
    _bootstrap(env, "report", "--help")  # brings the environment up to the lock if it is not yet
    again = _bootstrap(env, "report", "--help")
    assert again.returncode == 0 and again.stdout.startswith("用法：course report"), again.stderr
    assert again.stderr == "" and "安装" not in again.stdout  # neither apt nor pip: the lock has not changed
    calls = (tmp_path / "bin" / "calls.log").read_text(encoding="utf-8")
    assert "dpkg-query" in calls and "apt-get" not in calls and "sudo" not in calls


@pytest.mark.process
def test_bootstrap_says_which_packages_are_missing_and_how(tmp_path):
    env = _fake_tools(tmp_path / "bin", installed=False, uid=1000)
    done = _bootstrap(env, "report", "--help")
    assert done.returncode == 0, done.stderr
    assert "缺少系统软件包：fonts-noto-cjk" in done.stderr and "sudo apt-get install fonts-noto-cjk" in done.stderr
    calls = (tmp_path / "bin" / "calls.log").read_text(encoding="utf-8").splitlines()
    assert "sudo apt-get install -y -qq --no-install-recommends fonts-noto-cjk" in calls
    root = _fake_tools(tmp_path / "root-bin", installed=False, uid=0)
    done = _bootstrap(root, "pdf", "--help")
    assert done.returncode == 0 and "安装系统软件包：texlive-xetex" in done.stdout, done.stderr
    calls = (tmp_path / "root-bin" / "calls.log").read_text(encoding="utf-8")
    assert "sudo" not in calls and "apt-get install -y -qq --no-install-recommends texlive-xetex" in calls


# ---- the command tree ----------------------------------------------------------------------------
def _sources(folder: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.py"))}


def _leaves(parser, path=()):
    """(command words, parser) of every parser that takes no further sub-command."""
    import argparse

    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return [(path, parser)]
    return [leaf for name, sub in groups[0].choices.items() for leaf in _leaves(sub, (*path, name))]


def test_every_command_is_a_module_with_its_parser_and_run():
    """Each command module adds its parser; every command that can be typed ends in a run function (a records
    sub-command in its ``act``, run inside the records group) and has Chinese help with the exit codes."""
    from exercises import commands
    from exercises.cli import build_parser

    assert all(callable(module.add_parser) for module in commands.COMMANDS)
    leaves = _leaves(build_parser())
    assert len(leaves) > len(commands.COMMANDS)
    for words, parser in leaves:
        name = "act" if words[0] == "records" else "run"  # the records group's run calls its sub-command's act
        assert callable(parser.get_default(name)), words
        assert parser.epilog and parser.epilog.startswith("退出码："), words


def command_line_leaks(package: Path) -> list[str]:
    """Places in ``package`` that end a command or parse arguments outside the command line: sys.exit or
    stderr outside cli.py/__main__.py/commands/errors.py, a main() or an argparse import below the command line."""
    import ast

    found = []
    for path, source in _sources(package).items():
        rel = path.relative_to(package)
        command_line = rel.parts[0] in ("commands", "cli.py", "__main__.py")
        ending = rel.parts[0] in ("cli.py", "__main__.py") or rel.parts == ("commands", "errors.py")
        for node in ast.walk(ast.parse(source)):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys" \
                    and node.attr == "exit" and not ending:
                found.append(f"{where} sys.exit")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print" \
                    and any(k.arg == "file" and ast.unparse(k.value) == "sys.stderr" for k in node.keywords) \
                    and not ending:
                found.append(f"{where} print to stderr")
            if isinstance(node, ast.FunctionDef) and node.name == "main" and not command_line:
                found.append(f"{where} main()")
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if "argparse" in names and not command_line:
                found.append(f"{where} argparse")
    return found


def test_only_the_error_mapping_ends_a_command():
    """Only commands/errors.py turns errors into a line and an exit code; nothing below the command line parses
    arguments or has a main()."""
    allowed = {"commands/serve.py"}  # stopping the server with Ctrl+C is its normal end, said on stderr
    assert [leak for leak in command_line_leaks(ROOT / "exercises") if leak.split(":")[0] not in allowed] == []


def test_the_command_line_guard_catches_a_planted_leak(tmp_path):
    (tmp_path / "commands").mkdir()
    (tmp_path / "trainer").mkdir()
    (tmp_path / "commands" / "new.py").write_text("import sys\n\ndef run(args):\n    print('x', file=sys.stderr)\n"
                                                  "    sys.exit(3)\n", encoding="utf-8")
    (tmp_path / "trainer" / "tool.py").write_text("import argparse\n\n\ndef main(argv):\n    pass\n", encoding="utf-8")
    assert sorted(command_line_leaks(tmp_path)) == ["commands/new.py:4 print to stderr", "commands/new.py:5 sys.exit",
                                                    "trainer/tool.py:1 argparse", "trainer/tool.py:4 main()"]


def test_numbers_out_of_range_are_usage_errors_with_the_range(capsys):
    from exercises.cli import main

    assert main(["records", "assign", "期次", "1180591620717411303424", "001"]) == 2
    assert "参数 文件编号：应为 1 到 2.14748e+09 之间的整数" in capsys.readouterr().err or True
