"""The Binder path: a chapter's launch link opens its exercises as an app (Voilà), in Chinese, with no code.

Run the way Binder runs it: a copy of the repository is the home folder (so its .jupyter/ settings and its
.local/ Voilà template apply), JupyterLab from the project's environment on 127.0.0.1 with a token, the
launch link's path opened in Chromium.
"""
from __future__ import annotations

import json
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

import pytest

from exercises.questions.bank import bank_for_pillar
from exercises.questions.form import Choice, Select, TextField
from exercises.questions.grading import correct_response
from exercises.questions.model import BLANK
from exercises.questions.types import type_of

pytestmark = [pytest.mark.binder, pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).with_name("jupyter")
START_TIMEOUT = 90
FIRST_QUESTION_LIMIT = 60  # seconds from opening the link to the first question that takes an answer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch_path(built_book: Path, page: str) -> str:
    """The path in the Binder launch button of a built page."""
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


def stop_group(proc: subprocess.Popen) -> None:
    """End a server and its children (its own process group), forcefully if it lingers."""
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


@pytest.fixture()
def binder_server(tmp_path):
    """JupyterLab (with Voilà) as Binder starts it: the home folder is a copy of the repository."""
    home = tmp_path / "home"  # a copy, as Binder has: running cells must not touch the working tree
    for name in ("book", ".jupyter", ".local"):
        shutil.copytree(ROOT / name, home / name)
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "IPYTHONDIR": str(tmp_path / "ipython"), "SIGE_COURSE_PROGRESS": str(tmp_path / "progress.json")}
    for name in ("SIGE_COURSE_STATIC", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_PATH"):
        env.pop(name, None)  # Binder has none of these; the build's static mode would hide the widgets
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={home}", *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/api/status?token={token}", proc)
        yield base, token, home
    finally:
        stop_group(proc)
        log.close()


def question_boxes(page, prefix: str, questions) -> list:
    """(question, its widget box) for each question shown on the page, found by its number and stem."""
    found = []
    for n in range(1, len(questions) + 1):
        box = page.locator(".widget-vbox", has_text=f"练习 {prefix}-{n}（").last
        if box.count() == 0:
            break
        text = box.inner_text()
        matches = [q for q in questions if BLANK.sub("＿＿＿＿", q.stem) in text]
        assert matches, f"练习 {prefix}-{n}: no bank question matches {text[:80]!r}"
        found.append((matches[0], box))
    return found


def answer_in_app(box, question) -> None:
    """Fill the box's controls with the question's full-marks answer, as a learner does, and submit."""
    form = type_of(question).form(question)
    values = form.values(correct_response(question))
    texts = box.locator(".widget-text input, .widget-textarea textarea")
    selects = box.locator(".widget-dropdown select")
    n_text = n_select = 0
    for control, value in zip(form.controls, values):
        if isinstance(control, Choice):
            wanted = value if control.multiple else [value]
            for choice, text in control.choices:
                if choice in wanted:  # by the option's words: its displayed letter follows the learner's shuffle
                    words = re.escape(re.sub(r"^[A-Z][.．、]\s*", "", text))
                    box.locator("label", has_text=re.compile(r"^\s*(?:[A-Z][.．、]\s*)?" + words + r"\s*$")).first.click()
        elif isinstance(control, TextField):
            texts.nth(n_text).fill(value)
            texts.nth(n_text).press("Tab")  # the widget syncs its value on change
            n_text += 1
        elif isinstance(control, Select):
            selects.nth(n_select).select_option(label=value)
            n_select += 1
    box.get_by_role("button", name="提交").click()


def test_launch_link_opens_chapter_as_app(built_book, chromium, binder_server):
    path = _launch_path(built_book, "ch1-political")
    assert path == "voila/render/book/ch1-political.md"
    base, token, home = binder_server
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        started = time.monotonic()
        page.goto(f"{base}/{path}?token={token}", wait_until="commit")
        assert page.locator("#loading_text").inner_text().startswith("正在")  # Chinese while it runs
        page.locator(".widget-radio-box input").first.wait_for(state="visible", timeout=FIRST_QUESTION_LIMIT * 1000)
        first_usable = time.monotonic() - started
        print(f"Binder path: first usable question after {first_usable:.1f} s")
        assert page.title() == "突出政治引领（练习）"
        assert page.locator("html").get_attribute("lang") == "zh"
        # An app, not a programmer's tool: no code, no notebook interface, no error output.
        assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor, .lm-MenuBar, .jp-Toolbar").count() == 0
        assert "from exercises" not in page.inner_text("body")
        assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert "Traceback" not in page.inner_text("body")
        assert not re.search(r"\{(only|div|raw:latex)\}|:only:", page.inner_text("body")) and "请在讲义上作答" not in page.inner_text("body")  # web notes only

        questions = list(bank_for_pillar(1).questions)
        answered = {}
        for question, box in question_boxes(page, "1", questions):
            if question.type in answered:
                continue
            answer_in_app(box, question)
            box.locator(".widget-html", has_text="得分").first.wait_for(timeout=30_000)
            answered[question.type] = (question, box.inner_text())
        assert set(answered) == {q.type for q in questions}, sorted(answered)
        for kind, (question, text) in answered.items():
            assert re.search(r"回答正确|得分[：:]?\s*" + f"{question.points:g}", text), (kind, text[-300:])

        page.get_by_role("textbox", name="姓名").fill("张三")
        page.get_by_role("textbox", name="姓名").press("Tab")
        page.get_by_role("button", name="导出成绩文件").click()
        link = page.locator("a[download]").first
        link.wait_for()
        with page.expect_download() as info:
            link.click()
        exported = json.loads(Path(info.value.path()).read_text("utf-8"))
        assert exported["learner"] == "张三"
        for kind, (question, _) in answered.items():
            record = exported["answers"][question.id]
            assert record["verdict"] == "correct" and record["score"] == question.points, (kind, record)
        assert not list(home.rglob("*.ipynb")) and not list(home.rglob(".ipynb_checkpoints"))  # nothing to save
        page.close(run_before_unload=True)
        time.sleep(1)
        assert dialogs == []  # closing asks nothing
    finally:
        context.close()


def test_notebook_tree_loads_every_extension(chromium, binder_server):
    """Notebook 7's file browser (/tree) agrees with the JupyterLab it runs on: every extension's code loads (no
    module-federation or version error, as jupytext 1.18+ gives there), and the screens are Chinese."""
    base, token, _ = binder_server
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    try:
        page.goto(f"{base}/tree?token={token}")
        page.locator(".jp-DirListing-item", has_text="book").first.wait_for(timeout=90_000)
        page.wait_for_timeout(2000)  # late plugin activations report their errors after the listing
        assert page.locator(".lm-MenuBar-item", has_text="文件").count() == 1
        loading = [e for e in errors if re.search(r"RUNTIME-\d+|shared module|Unsatisfied version|Failed to load", e)]
        assert loading == [], "\n".join(loading)
    finally:
        page.close()


def test_jupyterlab_screens_are_chinese(chromium, binder_server):
    base, token, _ = binder_server
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{base}/lab?token={token}")
        page.locator(".lm-MenuBar-item", has_text="文件").first.wait_for(timeout=90_000)
        assert page.locator(".lm-MenuBar-item", has_text="File").count() == 0
    finally:
        page.close()


def test_a_chapter_in_jupyterlab_shows_the_screen_notes_and_not_the_print_notes(chromium, binder_server):
    """The page opened as a notebook (jupytext, jupyterlab-myst): web notes rendered, print notes absent, and
    no MyST directive jupyterlab-myst does not know."""
    base, token, _ = binder_server
    page = chromium.new_page(viewport={"width": 1280, "height": 1400})
    try:
        page.goto(f"{base}/lab/tree/book/ch1-political.md?token={token}")
        cells = page.locator(".jp-Notebook .jp-MarkdownCell")
        cells.filter(has_text="本单位落实清单").first.wait_for(timeout=90_000)
        shown = "\n".join(cells.nth(i).inner_text() for i in range(cells.count()))
        assert "在线阅读时，可以在页面中直接作答自查" in shown  # the {div} :only: html note
        assert page.locator(".jp-MarkdownCell table", has_text="检验标准").count() == 1  # its table, as a table
        assert "请在讲义上作答" not in shown  # the {raw:latex} note
        assert not re.search(r"unknown directive|\{(only|div|raw:latex)\}|:only:", shown, re.I), shown[:2000]
    finally:
        page.close()


def _open_until_usable(page, url: str) -> float:
    """Open the app page and wait for the first question that takes an answer; seconds it took."""
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    page.locator(".widget-radio-box input").first.wait_for(state="visible", timeout=FIRST_QUESTION_LIMIT * 1000)
    return time.monotonic() - started


def _kernels(base: str, token: str) -> list:
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as response:
        return json.load(response)


def test_closed_pages_leave_no_kernel_and_the_page_asks_nothing_from_outside(chromium, binder_server):
    """Three opens and closes leave no kernel running (Voilà's shutdown call carries the _xsrf cookie), and the
    page loads everything from the server itself: no CDN (Font Awesome, MathJax) that may be slow or blocked."""
    base, token, _ = binder_server
    outside = []
    for _ in range(3):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None)
        seconds = _open_until_usable(page, f"{base}/voila/render/book/ch1-political.md?token={token}")
        print(f"Voilà page usable after {seconds:.1f} s")
        assert len(_kernels(base, token)) == 1
        page.close(run_before_unload=True)
        deadline = time.monotonic() + 15
        while _kernels(base, token) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _kernels(base, token) == [], "the closed page's kernel is still running"
        context.close()
    assert outside == []


def test_a_lost_kernel_is_announced_in_chinese(chromium, binder_server):
    base, token, _ = binder_server
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        _open_until_usable(page, f"{base}/voila/render/book/ch1-political.md?token={token}")
        (kernel,) = _kernels(base, token)
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()
        page.get_by_role("button", name="提交").first.click()
        notice = page.locator("#sige-kernel-lost")
        notice.wait_for(timeout=10_000)
        assert "重新打开本章的练习链接" in notice.inner_text()
    finally:
        page.close()


def test_idle_kernels_are_culled():
    config = json.loads((ROOT / ".jupyter" / "jupyter_server_config.json").read_text(encoding="utf-8"))
    culling = config["MappingKernelManager"]
    assert 0 < culling["cull_idle_timeout"] <= 1800 and 0 < culling["cull_interval"] <= 300


# Python packages of Binder's base image (repo2docker's environment.yml), by their PyPI names.
BASE_IMAGE_PACKAGES = {"ipywidgets": "ipywidgets", "jupyter-offlinenotebook": "jupyter-offlinenotebook",
                       "jupyter-resource-usage": "jupyter-resource-usage", "jupyter_server": "jupyter-server",
                       "jupyterhub-singleuser": "jupyterhub", "jupyterlab": "jupyterlab", "notebook": "notebook"}


def _binder_build_plan(clone: Path) -> tuple[str, dict[str, str]]:
    """repo2docker's Dockerfile for the clone (printed without building) and its base image's package versions."""
    repo2docker = Path(sys.executable).with_name("repo2docker")
    result = subprocess.run([str(repo2docker), "--no-build", "--no-run", "--debug", str(clone)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    plan = result.stdout + result.stderr
    python = re.search(r"Building conda environment for python=(\d+\.\d+)", plan).group(1)
    import repo2docker as r2d

    lock = Path(r2d.__file__).parent / "buildpacks" / "conda" / f"environment.py-{python}-linux-64.lock"
    versions = dict(re.findall(r"/(?:noarch|linux-64)/([a-z0-9_.-]+?)-(\d[^-]*)-[^-/]+\.conda", lock.read_text()))
    return plan, {BASE_IMAGE_PACKAGES[n]: versions[n] for n in BASE_IMAGE_PACKAGES}


@pytest.mark.process
def test_the_binder_environment_passes_pip_check(tmp_path):
    """Binder's build, replayed: its base image's Jupyter packages, then the repository's install step, as
    repo2docker plans them. pip check is clean, the course stays an editable install of the repository, and
    the notebook, JupyterLab and language pack agree."""
    clone = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    plan, base_image = _binder_build_plan(clone)
    steps = re.findall(r"^RUN .*pip install .*$", plan, re.M)
    assert steps == ['RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'], steps
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=120)
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    base = subprocess.run([*pip, *(f"{name}=={version}" for name, version in base_image.items())], cwd=clone,
                          capture_output=True, text=True, timeout=1200)
    assert base.returncode == 0, base.stderr[-3000:]
    install = subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=clone,
                             capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stderr[-3000:]
    check = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    where = subprocess.run([str(env / "bin" / "python"), "-c", "import exercises; print(exercises.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip() == str(clone / "exercises" / "__init__.py")  # editable: commands find the repository
    trainer = subprocess.run([str(env / "bin" / "course"), "paper", "--seed", "1", "--count", "5", str(tmp_path / "out")],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)  # a trainer's command: which extra
    assert trainer.returncode == 1 and len(trainer.stderr.strip().splitlines()) == 1, trainer.stderr[-2000:]
    assert "pip install -e '.[book]'" in trainer.stderr
    extensions = subprocess.run([str(env / "bin" / "jupyter"), "labextension", "list"], capture_output=True,
                                text=True, timeout=120)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", extensions.stdout + extensions.stderr)  # without the colours
    for name in ("@jupyter-notebook/lab-extension", "jupyterlab-myst", "@jupyter-widgets/jupyterlab-manager"):
        assert re.search(re.escape(name) + r" v\S+ enabled OK", listing), listing
    assert "disabled" not in listing.split("Other labextensions")[0], listing
    sizes = subprocess.run(["du", "-sm", str(env)], capture_output=True, text=True, check=True)
    print(f"Binder learner environment: {sizes.stdout.split()[0]} MiB")
