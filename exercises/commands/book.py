"""``course book``: build the online course into the repository's _build/html."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .base import OK, CommandError, add_command, repository


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "book", "生成在线课程（_build/html）",
                         "生成在线课程到仓库的 _build/html：每章笔记本都会执行，Sphinx 的任何警告都让构建失败。")
    parser.set_defaults(run=run)


def run(args) -> int:
    repo = repository()
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run([str(jupyter_book), "build", str(repo), "-n", "-W", "--keep-going"], cwd=repo)
    if done.returncode != 0:
        raise CommandError("在线课程生成失败：原因见上面 Sphinx 的输出（任何警告都算失败）。")
    html = repo / "_build" / "html"
    # The page scripts are ES modules, which browsers load over HTTP only (not from file://).
    print(f"在线课程已生成：{html}。在本机查看：python3 -m http.server -d {html} 8000，再用浏览器打开 http://127.0.0.1:8000/")
    return OK
