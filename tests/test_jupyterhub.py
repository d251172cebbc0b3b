"""The JupyterHub path: a real local hub (DummyAuthenticator, SimpleLocalProcessSpawner, configurable-http-proxy
from tests/hub) on 127.0.0.1, with the course's hub-wide setup (jupyterhub/install.sh) in a prefix of its own. A
learner logs in, follows the book's nbgitpuller link (the repository is pulled from a local git URL into the
learner's home), the chapter opens as a Voilà app from that folder, and an answer gets its verdict."""
from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from exercises.questions.bank import bank_for_pillar
from test_binder import answer_in_app, question_boxes, stop_group

pytestmark = [pytest.mark.binder, pytest.mark.process, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROXY = ROOT / "tests" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
START_TIMEOUT = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def hub(tmp_path):
    """A local JupyterHub whose single-user servers run the course's environment with the hub-wide setup."""
    assert PROXY.is_file(), "configurable-http-proxy is missing: ./course test installs it (tests/hub)"
    prefix = tmp_path / "prefix"  # stands in for the single-user environment's sys.prefix
    setup = subprocess.run([str(ROOT / "jupyterhub" / "install.sh"), "--prefix", str(prefix), "--no-pip"],
                           capture_output=True, text=True, timeout=60)
    assert setup.returncode == 0, setup.stderr
    assert "已为" in setup.stdout
    repo = tmp_path / "remote" / "sige-course"  # the repository as a git URL the hub can pull
    subprocess.run(["git", "clone", "--quiet", "--bare", str(ROOT), str(repo)], check=True, timeout=120)
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    homes = tmp_path / "homes"
    homes.mkdir()
    environment = {"JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"), "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
                   "PATH": f"{BIN}:/usr/bin:/bin"}
    config = tmp_path / "jupyterhub_config.py"
    config.write_text("\n".join([
        "c = get_config()  # noqa: F821",
        "c.JupyterHub.ip = '127.0.0.1'",
        f"c.JupyterHub.port = {port}",
        f"c.JupyterHub.hub_port = {hub_port}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{api_port}'",
        f"c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]",
        f"c.JupyterHub.db_url = 'sqlite:///{tmp_path / 'hub.sqlite'}'",
        f"c.JupyterHub.cookie_secret_file = {str(tmp_path / 'cookie_secret')!r}",
        f"c.JupyterHub.pid_file = {str(tmp_path / 'hub.pid')!r}",
        "c.JupyterHub.authenticator_class = 'dummy'",
        "c.Authenticator.allow_all = True",
        "c.JupyterHub.spawner_class = 'simple'",
        f"c.SimpleLocalProcessSpawner.home_dir_template = {str(homes)!r} + '/{{username}}'",
        f"c.Spawner.cmd = [{str(BIN / 'jupyterhub-singleuser')!r}]",
        f"c.Spawner.args = {['--allow-root'] if os.geteuid() == 0 else []!r}",
        f"c.Spawner.environment = {environment!r}",
        "c.Spawner.start_timeout = 120",
        "c.Spawner.http_timeout = 120",
    ]) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "SIGE_COURSE"))}
    log = (tmp_path / "hub.log").open("w")
    proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(config)], cwd=tmp_path, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert proc.poll() is None, (tmp_path / "hub.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/hub/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, f"JupyterHub did not answer within {START_TIMEOUT} s"
                time.sleep(0.5)
        yield base, repo, homes
    finally:
        stop_group(proc)
        log.close()
        for leftover in homes.glob("*"):
            shutil.rmtree(leftover, ignore_errors=True)


HUB_ITEM = re.compile(r'<a href="([^"]+)"[^>]*\btitle="在本单位的学习平台上打开本章的练习[^"]*"')
FIXTURE_PAGE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# 练习

```{code-cell} ipython3
1 + 1
```
"""


def course_config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def book_hub_link(folder: Path, hub_url: str, page: str = "book/ch1-political.md") -> str:
    """The launch menu's JupyterHub item of ``page`` in a one-page book built by jupyter-book with the course's
    repository, launch settings and Sphinx extension, and ``launch_buttons.jupyterhub_url`` set to ``hub_url``."""
    course = course_config()
    config = {"title": "测试", "only_build_toc_files": True, "execute": {"execute_notebooks": "off"},
              "repository": course["repository"], "launch_buttons": {**course["launch_buttons"], "jupyterhub_url": hub_url},
              "sphinx": {"extra_extensions": ["exercises.book.sphinx_ext"], "config": {"language": "zh_CN"}}}
    (folder / page).parent.mkdir(parents=True, exist_ok=True)
    (folder / page).write_text(FIXTURE_PAGE, encoding="utf-8")
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (folder / "_toc.yml").write_text(f"format: jb-book\nroot: {page.removesuffix('.md')}\n", encoding="utf-8")
    build = subprocess.run([str(BIN / "jupyter-book"), "build", str(folder), "-W", "-n", "--keep-going"],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]
    built = (folder / "_build" / "html" / page).with_suffix(".html").read_text(encoding="utf-8")
    (link,) = HUB_ITEM.findall(built)
    return html.unescape(link)


def test_a_book_naming_a_hub_gives_the_nbgitpuller_link_to_the_app(tmp_path):
    link = book_hub_link(tmp_path, "https://hub.example.org")
    assert link == ("https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A//github.com/sige-course/sige-course"
                    "&urlpath=voila/render/sige-course/book/ch1-political.md&branch=main")


def test_config_names_the_hub_setting():
    assert "jupyterhub_url" in course_config()["launch_buttons"]


def test_a_learner_pulls_the_course_and_answers_in_the_app(hub, chromium, tmp_path):
    base, repo, homes = hub
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{base}/hub/login")
        page.locator("input[name=username]").fill("xueyuan")
        page.locator("input[name=password]").fill(secrets.token_hex(8))
        page.locator("input[type=submit], button[type=submit]").first.click()
        page.wait_for_url("**/user/xueyuan/**", timeout=180_000)
        # The link the book gives for this hub; the hub pulls a local clone, as it cannot reach GitHub here.
        link = book_hub_link(tmp_path / "book", base)
        github = quote(course_config()["repository"]["url"], safe="/")
        assert f"repo={github}&" in link
        page.goto(link.replace(f"repo={github}&", f"repo={quote(f'file://{repo}', safe='/')}&"), wait_until="commit")
        page.wait_for_url("**/voila/render/sige-course/book/ch1-political.md", timeout=180_000)
        assert (homes / "xueyuan" / "sige-course" / "book" / "ch1-political.md").is_file()  # pulled into the home
        page.locator(".widget-radio-box input").first.wait_for(state="visible", timeout=120_000)
        assert page.title() == "突出政治引领（练习）"  # the course's template, from the hub-wide data folder
        assert ":only:" not in page.inner_text("body")  # the course's hook, from the hub-wide server config
        question, box = question_boxes(page, "1", list(bank_for_pillar(1).questions))[0]
        answer_in_app(box, question)
        box.locator(".widget-html", has_text="得分").first.wait_for(timeout=90_000)  # a busy machine grades slowly
        assert "回答正确" in box.inner_text() or f"得分：{question.points:g}" in box.inner_text(), box.inner_text()[-300:]
    finally:
        context.close()


def test_the_hub_setup_refuses_to_overwrite_another_config(tmp_path):
    other = tmp_path / "etc" / "jupyter" / "jupyter_server_config.py"
    other.parent.mkdir(parents=True)
    other.write_text("c.ServerApp.log_level = 'DEBUG'\n", encoding="utf-8")
    result = subprocess.run([str(ROOT / "jupyterhub" / "install.sh"), "--prefix", str(tmp_path), "--no-pip"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "已存在且内容不同" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert other.read_text(encoding="utf-8") == "c.ServerApp.log_level = 'DEBUG'\n"
    assert json.loads((tmp_path / "etc" / "jupyter" / "jupyter_server_config.json").read_text())["VoilaConfiguration"]
