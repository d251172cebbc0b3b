"""``course test``: run pytest in the repository; every other argument goes to pytest."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from .base import CommandError, add_command, repository


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "test", "运行测试（其余参数交给 pytest）",
                         "在仓库中运行 pytest；其余参数原样交给 pytest，如 course test -m \"not slow\" -x。\n"
                         "测试分层：browser（Chromium）、tex（xelatex）、binder（JupyterLab）、process（启动服务器或子进程）、"
                         "slow（整本书构建），其余为快速层。")
    parser.set_defaults(run=run, passthrough=True)  # the arguments it does not know go to pytest as typed


def run(args) -> int:
    repo = repository()
    if importlib.util.find_spec("pytest") is None:
        raise CommandError("没有安装测试工具：请运行 ./course test（它按 requirements-dev.txt 安装）。")
    here = Path.cwd()  # test paths typed relative to where the command runs
    extra = [str(here / a) if not a.startswith("-") and (here / a.split("::")[0]).exists() else a
             for a in args.extra]
    return subprocess.run([sys.executable, "-m", "pytest", *extra], cwd=repo).returncode
