"""The Binder path: a chapter's launch link opens it in JupyterLab as a runnable notebook with live exercises.

Run the way Binder runs it: the repository is the home folder (so its .jupyter/ config applies), JupyterLab
from the project's environment on 127.0.0.1 with a token, the launch link's path opened in Chromium.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).with_name("jupyter")
START_TIMEOUT = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch_path(built_book: Path, page: str) -> str:
    """The JupyterLab path in the Binder launch button of a built page."""
    html = (built_book / "book" / f"{page}.html").read_text(encoding="utf-8")
    links = [unescape(u) for u in re.findall(r'href="(https://mybinder\.org/[^"]+)"', html)]
    assert len(links) == 1, links
    return parse_qs(urlparse(links[0]).query)["urlpath"][0]


def _wait_ready(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"JupyterLab exited early with code {proc.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer within {START_TIMEOUT} s")


def _stop(proc: subprocess.Popen) -> None:
    """End JupyterLab and its kernels (its own process group), forcefully if it lingers."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def test_launch_link_opens_chapter_as_live_notebook(built_book, chromium, tmp_path):
    path = _launch_path(built_book, "ch1-political")
    assert path == "lab/tree/book/ch1-political.md"
    home = tmp_path / "home"  # a copy, as Binder has: running cells must not touch the working tree
    shutil.copytree(ROOT / "book", home / "book")
    shutil.copytree(ROOT / ".jupyter", home / ".jupyter")
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "IPYTHONDIR": str(tmp_path / "ipython"), "SIGE_COURSE_PROGRESS": str(tmp_path / "progress.json")}
    env.pop("SIGE_COURSE_STATIC", None)  # set by the book build's extension; the live notebook needs widgets
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={home}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
         f"--LabApp.user_settings_dir={tmp_path / 'settings'}", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    page = None
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/api/status?token={token}", proc)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(f"{base}/{path}?token={token}")
        notebook = page.locator(".jp-NotebookPanel")
        notebook.wait_for()  # a notebook, not the Markdown editor
        notebook.locator(".jp-Cell").nth(5).wait_for()
        # The kernel named in the page's metadata starts by itself (no kernel dialog), then runs every cell.
        page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        quiz = notebook.locator(".widget-vbox", has_text="练习 1-1（").last
        quiz.locator("label", has_text="A. 思想自觉").first.click(timeout=120_000)
        quiz.get_by_role("button", name="提交").click()
        quiz.get_by_text("回答正确").wait_for(timeout=30_000)
        assert "突出政治引领，增强全面深化改革的思想自觉。" in quiz.inner_text()
        assert notebook.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert page.get_by_text("official Jupyter news").count() == 0  # no news prompt over the exercises
    finally:
        if page is not None:
            page.close()
        _stop(proc)
        log.close()
