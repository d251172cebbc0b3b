"""Benchmarks of the course on this machine; writes benchmarks/RESULTS.md.

Run by hand with ``./course bench`` (it is not a test). Everything is measured on a temporary copy of
the repository (the last commit, or with ``--worktree`` the working tree's tracked and new files, never
.venv or _build) with its own fresh virtual environment, so the working tree is never touched.
Figures are medians of ``--runs`` runs.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
STATIC_ENV = "SIGE_COURSE_STATIC"
SECTIONS = ("env", "build", "startup", "grading", "weight", "binder", "pdf")
EDITED_PAGE = "book/ch1-political.md"
EDITED_CELL = re.compile(r"chapter\.discussion\(1\)(  # bench edit \d+)?")

BASELINE_IMPORT = "import ipywidgets, matplotlib.pyplot"
COURSE_START = """
import sys
from exercises.book import chapter
quiz = chapter.exercises(1)
assert isinstance(quiz, chapter.LiveExercises), type(quiz)
quiz._repr_mimebundle_()
assert "jieba" not in sys.modules, "building widgets imported jieba"
"""
JIEBA_LOAD = """
import time
start = time.perf_counter()
from exercises.text.analysis import segment
segment("突出政治引领，坚持以学为先")
print(time.perf_counter() - start)
"""
GRADING = """
import json, statistics, timeit
from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response, grade
from exercises.text.analysis import segment

segment("预热分词词典")  # jieba warm: its dictionary load is measured separately
per_type = {}
def per_call(question, response, number):
    grade(question, response)
    runs = timeit.repeat(lambda: grade(question, response), number=number, repeat=5)
    return statistics.median(runs) / number
for bank in load_all():
    for q in bank.questions:
        number = 20 if q.type == "short" else 200
        per_type.setdefault(q.type, []).append(per_call(q, correct_response(q), number))
short = next(q for bank in load_all() for q in bank.questions if q.type == "short")
per_type["short-2000"] = [per_call(short, (short.answer * 200)[:2000], 5)]
print(json.dumps(per_type))
"""
TYPE_NAMES = {"single": "单选", "multiple": "多选", "truefalse": "判断", "fill": "填空", "order": "排序",
              "match": "匹配", "short": "简答", "short-2000": "简答（2000 字上限的长回答）"}
ASSET_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "apple-touch-icon"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
FIRST_VISIT_PAGE = "book/ch1-political.html"
FIRST_VISIT_LIMIT, FURTHER_PAGE_LIMIT = 600 * 1024, 150 * 1024  # transferred bytes, gzip


class BenchError(RuntimeError):
    """A measured command failed; the message has the end of its log."""


def run(cmd, cwd: Path, env: dict | None = None, timeout: int = 3600) -> str:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        log = result.stdout + result.stderr
        warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR|Error", line)
                    and "IPKernelApp" not in line]
        raise BenchError(f"{' '.join(map(str, cmd))} 失败（退出码 {result.returncode}）：\n"
                         + "\n".join(warnings[-20:]) + "\n……\n" + log[-2000:])
    return result.stdout


def timed(cmd, cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    run(cmd, cwd, env)
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values)


def tree_bytes(path: Path) -> int:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            total += os.lstat(os.path.join(folder, name)).st_size
    return total


def copy_repo(dest: Path, worktree: bool) -> int:
    """Copy the last commit, or the working tree's tracked and new (not ignored) files."""
    if not worktree:
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return sum(1 for p in dest.rglob("*") if p.is_file())
    listing = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    count = 0
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith("benchmarks/RESULTS"):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
            count += 1
    return count


class Report:
    """Rows of the results table and notes, rendered as Markdown."""

    def __init__(self):
        self.rows: list[tuple[str, str, str, str]] = []
        self.sections: list[str] = []

    def row(self, item: str, value: str, target: str = "—", ok: bool | None = None) -> None:
        verdict = "—" if ok is None else ("达标" if ok else "未达标")
        self.rows.append((item, value, target, verdict))
        print(f"{item}: {value} {target} {verdict}", flush=True)

    def failed(self, section: str, error: Exception) -> None:
        self.row(f"{section}：未能测量", str(error).splitlines()[0])
        self.sections.append(f"### {section}：失败\n\n```\n{error}\n```")


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def ms(value: float) -> str:
    return f"{value * 1000:.3f} ms"


def mib(value: float) -> str:
    return f"{value / 2**20:.1f} MiB"


def kib(value: float) -> str:
    return f"{value / 1024:.0f} KiB"


# ---- environment ---------------------------------------------------------------------------------------
def make_venv(path: Path, cwd: Path, *packages: str) -> tuple[float, int]:
    start = time.perf_counter()
    run(["python3", "-m", "venv", path], cwd)
    run([path / "bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check", *packages], cwd)
    return time.perf_counter() - start, tree_bytes(path)


def bench_env(copy: Path, work: Path, report: Report) -> None:
    seconds_course, size_course = make_venv(copy / ".venv", copy, "-r", "requirements.txt")
    pin = next(line for line in (copy / "requirements.txt").read_text().splitlines() if line.startswith("jupyter-book=="))
    seconds_jb, size_jb = make_venv(work / "jb-only", work, pin)
    report.row("环境：requirements.txt 的全新虚拟环境", f"{mib(size_course)}（安装 {seconds(seconds_course)}）")
    report.row(f"环境：只装 {pin} 的虚拟环境", f"{mib(size_jb)}（安装 {seconds(seconds_jb)}）")
    report.row("环境：课程环境 / 只装 jupyter-book", f"{size_course / size_jb:.2f} 倍")


# ---- HTML build ----------------------------------------------------------------------------------------
def bench_build(copy: Path, env: dict, runs: int, report: Report) -> None:
    cmd = [copy / ".venv/bin/jupyter-book", "build", ".", "-n", "-W", "--keep-going"]
    cold, warm, prose, code = [], [], [], []
    for _ in range(runs):
        shutil.rmtree(copy / "_build", ignore_errors=True)  # the HTML and the execution cache
        cold.append(timed(cmd, copy, env))
    for _ in range(runs):
        warm.append(timed(cmd, copy, env))
    page = copy / EDITED_PAGE
    for i in range(runs):
        page.write_text(page.read_text("utf-8") + f"\n基准测试第 {i + 1} 次修改的段落。\n", "utf-8")
        prose.append(timed(cmd, copy, env))
    for i in range(runs):
        text, found = EDITED_CELL.subn(f"chapter.discussion(1)  # bench edit {i}", page.read_text("utf-8"))
        if found != 1:
            raise BenchError(f"{EDITED_PAGE} 中找不到要修改的代码单元 chapter.discussion(1)")
        page.write_text(text, "utf-8")
        code.append(timed(cmd, copy, env))
    report.row("HTML 构建：冷启动（清空 _build 与执行缓存）", seconds(median(cold)), "≤ 60 s", median(cold) <= 60)
    report.row("HTML 构建：无改动", seconds(median(warm)), "≤ 10 s", median(warm) <= 10)
    report.row(f"HTML 构建：改一页正文（{EDITED_PAGE}）", seconds(median(prose)), "≤ 15 s", median(prose) <= 15)
    report.row(f"HTML 构建：改一个代码单元（{EDITED_PAGE}）", seconds(median(code)))
    report.sections.append("### HTML 构建各次用时（秒）\n\n" + "\n".join(
        f"- {name}：{'、'.join(f'{v:.1f}' for v in values)}"
        for name, values in (("冷启动", cold), ("无改动", warm), ("改正文", prose), ("改代码单元", code))))


# ---- notebook start ------------------------------------------------------------------------------------
def fresh_process(copy: Path, code: str, env: dict, runs: int) -> list[float]:
    python = copy / ".venv/bin/python"
    run([python, "-c", code], copy, env)  # warm-up: bytecode compiled, files in the page cache
    return [timed([python, "-c", code], copy, env) for _ in range(runs)]


def bench_startup(copy: Path, work: Path, env: dict, runs: int, report: Report) -> None:
    live = {k: v for k, v in env.items() if k != STATIC_ENV}
    live["SIGE_COURSE_PROGRESS"] = str(work / "progress.json")
    base = median(fresh_process(copy, BASELINE_IMPORT, live, runs))
    course = median(fresh_process(copy, COURSE_START, live, runs))
    report.row("笔记本启动：只 import ipywidgets 与 matplotlib.pyplot（新进程）", seconds(base))
    report.row("笔记本启动：到第一章练习控件建好（新进程，未导入 jieba）", f"{seconds(course)}（{course / base:.2f} 倍）",
               "≤ 1.5 倍", course <= 1.5 * base)
    python = copy / ".venv/bin/python"
    first, cached = [], []
    for i in range(runs):
        cache_dir = work / f"jieba-{i}"
        cache_dir.mkdir()
        first.append(float(run([python, "-c", JIEBA_LOAD], copy, {**live, "TMPDIR": str(cache_dir)})))
        if not (cache_dir / "jieba.cache").exists():
            raise BenchError("jieba 没有写出词典缓存文件 jieba.cache")
        cached.append(float(run([python, "-c", JIEBA_LOAD], copy, {**live, "TMPDIR": str(cache_dir)})))
    report.row("jieba 词典：首次加载（无缓存文件）", seconds(median(first)))
    report.row("jieba 词典：已缓存（每台机器一次，缓存在临时目录 jieba.cache）", seconds(median(cached)))


# ---- grading -------------------------------------------------------------------------------------------
def bench_grading(copy: Path, env: dict, report: Report) -> None:
    per_type = json.loads(run([copy / ".venv/bin/python", "-c", GRADING], copy, env))
    for kind, values in per_type.items():
        limit = 0.05 if kind.startswith("short") else 0.005
        report.row(f"判分：{TYPE_NAMES.get(kind, kind)}（{len(values)} 题，最慢一题）",
                   f"{ms(max(values))}（中位 {ms(median(values))}）", f"≤ {limit * 1000:g} ms", max(values) <= limit)


# ---- page weight ---------------------------------------------------------------------------------------
class AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and ASSET_RELS & set((a.get("rel") or "").lower().split()):
            self.urls.append(a["href"])


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes of each page with the local scripts, stylesheets, preloaded fonts, icons and images it names."""
    weights = {}
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0].startswith("_") or rel.name in ("genindex.html", "search.html"):
            continue
        text = page.read_text("utf-8")
        if re.search(r'http-equiv="refresh"', text, re.I):
            continue  # a redirect to the first page, not a page
        parser = AssetParser()
        parser.feed(text)
        files = {page}
        for url in parser.urls:
            if re.match(r"^([a-z]+:|//)", url):
                continue
            target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
            if target.is_file():
                files.add(target)
        weights[str(rel)] = sum(f.stat().st_size for f in files)
    return weights


def bench_weight(copy: Path, work: Path, env: dict, report: Report) -> None:
    html = copy / "_build/html"
    run([copy / ".venv/bin/jupyter-book", "build", ".", "-n", "-W", "--keep-going"], copy, env)  # must succeed
    course = page_weights(html)
    jb = copy / ".venv/bin/jupyter-book"
    run([jb, "create", work / "template"], work, env)
    template_seconds = timed([jb, "build", work / "template"], work, env)
    template = page_weights(work / "template/_build/html")
    t_median, t_max = median(list(template.values())), max(template.values())
    c_median, c_max = median(list(course.values())), max(course.values())
    heaviest = max(course, key=course.get)
    report.row("页面重量：模板书每页（中位 / 最重）", f"{kib(t_median)} / {kib(t_max)}（模板书构建 {seconds(template_seconds)}）")
    report.row("页面重量：课程每页中位", f"{kib(c_median)}（{c_median / t_median:.2f} 倍）", "≤ 1.5 倍", c_median <= 1.5 * t_median)
    report.row(f"页面重量：课程最重一页（{heaviest}）", f"{kib(c_max)}（{c_max / t_max:.2f} 倍模板最重页）", "≤ 1.5 倍",
               c_max <= 1.5 * t_max)
    lines = ["### 每页重量（HTML 加上它引用的本地脚本、样式、预加载字体、图标与图片）", "",
             "| 页面 | 字节 | 相对模板中位 |", "| --- | ---: | ---: |"]
    lines += [f"| 课程 {name} | {size:,} | {size / t_median:.2f} |" for name, size in course.items()]
    lines += [f"| 模板 {name} | {size:,} | {size / t_median:.2f} |" for name, size in template.items()]
    report.sections.append("\n".join(lines))
    bench_transferred(html, report)


class GzipStaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a file's pre-compressed ``.gz`` copy to browsers that accept gzip, as nginx's gzip_static does."""

    def send_head(self):
        path = self.translate_path(self.path)
        if "gzip" in self.headers.get("Accept-Encoding", "") and os.path.isfile(path + ".gz"):
            ctype = self.guess_type(path)
            try:
                f = open(path + ".gz", "rb")
            except OSError:
                return super().send_head()
            stat = os.fstat(f.fileno())
            if self.headers.get("If-Modified-Since") == self.date_time_string(int(stat.st_mtime)):
                f.close()
                self.send_response(304)
                self.end_headers()
                return None
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(stat.st_size))
            self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
            self.end_headers()
            return f
        return super().send_head()

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve_site(html_dir: Path):
    """The built site over HTTP on 127.0.0.1 (pre-compressed files served compressed); yields the base URL."""
    handler = functools.partial(GzipStaticHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(html_dir: Path) -> list[str]:
    """The site's content pages (relative paths), without redirects, search and index pages."""
    pages = []
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0].startswith("_") or rel.name in ("genindex.html", "search.html"):
            continue
        if re.search(r'http-equiv="refresh"', page.read_text("utf-8"), re.I):
            continue
        pages.append(rel.as_posix())
    return pages


def transferred_bytes(browser, base: str, first: str, further: list[str]) -> tuple[int, dict[str, int]]:
    """Bytes Chromium transfers (headers and gzip bodies) for a first visit to ``first`` with an empty cache,
    then for each further page visited in the same tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    counted = [0]
    cdp.on("Network.loadingFinished", lambda event: counted.__setitem__(0, counted[0] + event["encodedDataLength"]))

    def visit(path: str) -> int:
        counted[0] = 0
        page.goto(base + path, wait_until="networkidle")
        return counted[0]

    try:
        first_bytes = visit(first)
        return first_bytes, {path: visit(path) for path in further if path != first}
    finally:
        context.close()


def measure_site_weight(html_dir: Path) -> tuple[int, dict[str, int]]:
    """First visit to a chapter and every further page, in headless Chromium, as transferred bytes."""
    from playwright.sync_api import sync_playwright

    with serve_site(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return transferred_bytes(browser, base, FIRST_VISIT_PAGE, site_pages(html_dir))
        finally:
            browser.close()


def bench_transferred(html: Path, report: Report) -> None:
    first, further = measure_site_weight(html)
    heaviest = max(further, key=further.get)
    report.row(f"传输字节：首次访问一章（{FIRST_VISIT_PAGE}，空缓存，gzip）", kib(first), "≤ 600 KiB",
               first <= FIRST_VISIT_LIMIT)
    report.row(f"传输字节：之后每页最重（{heaviest}）", kib(further[heaviest]), "≤ 150 KiB",
               further[heaviest] <= FURTHER_PAGE_LIMIT)
    report.sections.append("\n".join(
        ["### 在 Chromium 中实际传输的字节（含响应头；服务器发送预压缩的 .gz 文件）", "",
         "| 页面 | 传输字节 |", "| --- | ---: |", f"| 首次访问 {FIRST_VISIT_PAGE} | {first:,} |"]
        + [f"| 之后访问 {name} | {size:,} |" for name, size in further.items()]))


# ---- Binder path ---------------------------------------------------------------------------------------
BINDER_PAGE = "book/ch1-political.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


KERNEL_STARTED = re.compile(r"\[I (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) .*Kernel started")


def kernel_started(log: Path) -> float:
    """The time (epoch seconds) of the last "Kernel started" line of a Jupyter server log."""
    stamps = KERNEL_STARTED.findall(log.read_text("utf-8", "replace"))
    if not stamps:
        raise BenchError("服务器日志中没有“Kernel started”（见日志 binder-*.log）")
    return datetime.strptime(stamps[-1], "%Y-%m-%d %H:%M:%S.%f").timestamp()


def time_binder_app(copy: Path, work: Path, env: dict, browser, run_index: int) -> tuple[float, float]:
    """Seconds from opening the launch link's path (Voilà), and from its kernel's start, to the first question
    that takes an answer."""
    home = work / f"binder-{run_index}"
    for name in ("book", ".jupyter", ".local"):
        shutil.copytree(copy / name, home / name)
    token, port = secrets.token_hex(16), free_port()
    server_env = {**{k: v for k, v in env.items() if not k.startswith("JUPYTER_")}, "HOME": str(home),
                  "SIGE_COURSE_PROGRESS": str(home / "progress.json")}
    with open(work / f"binder-{run_index}.log", "w") as log:
        proc = subprocess.Popen(
            [copy / ".venv/bin/jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}",
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            cwd=home, env=server_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise BenchError("JupyterLab 没有启动（见日志 binder-*.log）") from None
                    time.sleep(0.5)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            try:
                start = time.monotonic()
                page.goto(f"{base}/voila/render/{BINDER_PAGE}?token={token}", wait_until="commit")
                page.locator(".widget-radio-box input").first.wait_for(state="visible", timeout=180_000)
                opened, usable = time.monotonic() - start, time.time()
                return opened, usable - kernel_started(work / f"binder-{run_index}.log")
            finally:
                page.close()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def bench_binder(copy: Path, work: Path, env: dict, runs: int, report: Report) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            times = [time_binder_app(copy, work, env, browser, i) for i in range(runs)]
        finally:
            browser.close()
    opened, from_kernel = [t for t, _ in times], [k for _, k in times]
    report.row(f"Binder 路径：打开 voila/render/{BINDER_PAGE} 到第一道题可作答（服务器已启动）",
               f"{seconds(median(opened))}（各次 {'、'.join(f'{t:.2f}' for t in opened)} s）")
    report.row("同上，从内核启动（服务器日志的 Kernel started）算起", f"{seconds(median(from_kernel))}"
               f"（各次 {'、'.join(f'{t:.2f}' for t in from_kernel)} s）", "≤ 3 s", median(from_kernel) <= 3)


# ---- PDF -----------------------------------------------------------------------------------------------
def has_pdf_command(copy: Path) -> bool:
    return re.search(r"^\s*pdf\)", (copy / "course").read_text("utf-8"), re.M) is not None


def bench_pdf(copy: Path, env: dict, runs: int, report: Report) -> None:
    if not has_pdf_command(copy):
        report.row("PDF：./course pdf 生成全部讲义", "尚不能测量：./course 还没有 pdf 命令", "≤ 120 s")
        return
    times, pdfs = [], {}
    for _ in range(runs):
        start = time.time()
        times.append(timed([copy / "course", "pdf"], copy, env))
        pdfs = {p: p.stat().st_size for p in (copy / "_build/handouts").glob("*.pdf") if p.stat().st_mtime >= start}
    each = seconds(median(times) / max(len(pdfs), 1))
    report.row("PDF：./course pdf 生成全部讲义", f"{seconds(median(times))}（{len(pdfs)} 份 PDF，平均每份 {each}）", "≤ 120 s",
               median(times) <= 120)
    report.sections.append("### ./course pdf 生成的讲义\n\n" + "\n".join(
        f"- {p.relative_to(copy)}：{kib(size)}" for p, size in sorted(pdfs.items())))


# ---- report --------------------------------------------------------------------------------------------
def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return f"{cpu}，{os.cpu_count()} 核，内存 {int(memory) / 2**20:.0f} GiB，Python {platform.python_version()}"


def startup_runs(runs: int) -> int:
    return max(runs, 7)


def write(report: Report, runs: int, started: float, load_before: str, source: str) -> None:
    commit = run(["git", "rev-parse", "--short", "HEAD"], ROOT).strip()
    lines = [
        "# 基准测试结果",
        "",
        f"由 `./course bench`（`benchmarks/run.py`）于 {datetime.now():%Y-%m-%d %H:%M} 生成，测量对象：{source} {commit} 的临时副本。",
        f"机器：{machine()}。一分钟平均负载：开始时 {load_before}，结束时 {os.getloadavg()[0]:.2f}；"
        f"共用时 {(time.time() - started) / 60:.1f} 分钟。",
        "",
        f"计时取中位数：构建与 PDF 各 {runs} 次；新进程启动各 {startup_runs(runs)} 次（另有一次不计的预热）；"
        "判分每题用 timeit 重复 5 轮取中位数，每轮客观题 200 次、简答 20 次。",
        "",
        "| 项目 | 实测 | 目标 | 结论 |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {item} | {value} | {target} | {verdict} |" for item, value, target, verdict in report.rows]
    lines += ["", *("\n\n".join(report.sections).splitlines()), ""]
    RESULTS.write_text("\n".join(lines), "utf-8")
    print(f"写入 {RESULTS}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="课程的基准测试，结果写入 benchmarks/RESULTS.md。")
    parser.add_argument("--runs", type=int, default=3, help="每项计时的次数，取中位数（默认 3）")
    parser.add_argument("--worktree", action="store_true",
                        help="测量工作树（已跟踪和新建的文件），而不是最后一次提交")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="只测这几项")
    return bench(parser.parse_args(argv))


def bench(args) -> int:
    """Run the benchmarks ``args.only`` (``args.runs`` timings each, of the worktree when ``args.worktree``)."""
    started, load_before = time.time(), f"{os.getloadavg()[0]:.2f}"
    report = Report()
    with tempfile.TemporaryDirectory(prefix="sige-bench-") as tmp:
        work = Path(tmp)
        copy = work / "repo"
        print(f"复制仓库到 {copy}：{copy_repo(copy, args.worktree)} 个文件", flush=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", STATIC_ENV)}
        env["PATH"] = f"{copy / '.venv/bin'}{os.pathsep}{env.get('PATH', '')}"
        steps = {
            "env": lambda: bench_env(copy, work, report),
            "build": lambda: bench_build(copy, env, args.runs, report),
            "startup": lambda: bench_startup(copy, work, env, startup_runs(args.runs), report),
            "grading": lambda: bench_grading(copy, env, report),
            "weight": lambda: bench_weight(copy, work, env, report),
            "binder": lambda: bench_binder(copy, work, env, args.runs, report),
            "pdf": lambda: bench_pdf(copy, env, args.runs, report),
        }
        if "env" not in args.only:  # every other step needs the copy's own environment
            make_venv(copy / ".venv", copy, "-r", "requirements.txt")
        for name in SECTIONS:
            if name in args.only:
                print(f"== {name}", flush=True)
                try:
                    steps[name]()
                except (BenchError, subprocess.TimeoutExpired, OSError, ValueError, ImportError) as error:
                    report.failed(name, error)
    write(report, args.runs, started, load_before, "工作树" if args.worktree else "提交")
    return 0


if __name__ == "__main__":
    sys.exit(main())
