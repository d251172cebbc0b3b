"""PDF handouts for trainers: the learner paper and the trainer edition, whole course and per chapter.

One Sphinx configuration (``jupyter-book config sphinx`` from ``_config.yml`` plus the settings here), one
reading of the book (pages executed once), two LaTeX writes: the learner edition, then with the Sphinx tag
``trainer`` the trainer edition, which keeps the ``{only} trainer`` blocks of the pages and of the exercises'
print form. xelatex runs on every document as soon as its edition is written, on every core, with only the
passes the document needs. All of it happens in a private temporary folder; only the PDFs are copied to the
output folder. The ``course pdf`` command calls ``build``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes

from ...renderers.print_form import EDITIONS, TRAINER_TAG
from ...safeio import atomic_write
from ...text.numbers import chinese_number
from .latex import PRINT_MACROS, LatexError, escape_latex, typeset

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_OUT = ROOT / "_build" / "handouts"
EDITION_NAMES = {"learner": "学员版", "trainer": "教师版"}
WORKERS = max(1, len(os.sched_getaffinity(0)))  # xelatex processes at once: one per core
COURSE_NAME = "course"
NEVER = "never"  # the print condition of what is not printed at all (kept on the web)
EXTENSION = "exercises.trainer.print.handouts"  # this module as a Sphinx extension, also when run with -m
HEADER_FIELDS = ("姓名", "单位", "期次", "日期")  # the lines on page 1 a learner fills in
FIELD_WIDTHS = {"单位": 9, "学号": 7}  # em; other fields 5.5 em


class HandoutError(RuntimeError):
    """The handouts could not be built; the message says which step failed and why."""


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book's table of contents."""

    docname: str
    title: str
    number: int | None  # chapter number in a numbered part of the TOC, else None

    @property
    def label(self) -> str:
        return f"第{chinese_number(self.number)}章　{self.title}" if self.number else self.title

    @property
    def stem(self) -> str:
        return Path(self.docname).name


def _page_title(root: Path, docname: str) -> str:
    for suffix in (".md", ".ipynb"):
        path = root / f"{docname}{suffix}"
        if path.exists():
            text = path.read_text(encoding="utf-8")
            if suffix == ".md" and text.startswith("---"):
                text = text.split("\n---", 1)[-1]  # front matter (whose comments start with #) is not the page
            match = re.search(r'^# (.+?)\s*$', text, re.M) if suffix == ".md" else re.search(r'"# (.+?)(?:\\n)?"', text)
            if match:
                return match.group(1).strip()
            raise HandoutError(f"{path.name}：没有一级标题（# 标题），无法用作讲义的章标题")
    raise HandoutError(f"_toc.yml 列出的页面 {docname} 不存在")


def toc_chapters(root: Path = ROOT) -> list[Chapter]:
    """The chapters _toc.yml lists (not the root page), numbered as the TOC numbers them."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = toc.get("parts") or [{"chapters": toc.get("chapters", [])}]
    chapters, count = [], 0
    for part in parts:
        for entry in part.get("chapters", []):
            docname = re.sub(r"\.(md|ipynb)$", "", entry["file"])
            number = None
            if part.get("numbered"):
                count += 1
                number = count
            chapters.append(Chapter(docname, _page_title(root, docname), number))
    return chapters


def toc_root(root: Path = ROOT) -> str:
    """The docname of the book's root page."""
    return re.sub(r"\.(md|ipynb)$", "", yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"])


def handout_documents(config: dict, chapters: list[Chapter]) -> list[list[str]]:
    """[start page, file stem, title, Sphinx LaTeX theme] of every handout: the whole course as a book
    ("manual": title page, contents), each chapter as a short paper ("howto": a header block on page 1)."""
    docs = [[toc_root(), COURSE_NAME, config["title"], "manual"]]
    return docs + [[c.docname, c.stem, c.label, "howto"] for c in chapters]


def latex_elements(course_title: str, kind: str = "轮训讲义", fields: tuple[str, ...] = HEADER_FIELDS) -> dict[str, str]:
    """Chinese typesetting for both editions (``\\ifsigetrainer`` tells them apart): Noto CJK fonts, a title
    page (whole course) or a header block (one chapter, one paper) with lines for ``fields``, PDF metadata,
    one-sided pages with no blank ones, the print form's boxes and writing lines."""
    title = escape_latex(course_title)
    broken = "：\\\\".join(escape_latex(part) for part in course_title.split("：", 1))
    blanks = [f"{escape_latex(field)}：\\sigeblank{{{FIELD_WIDTHS.get(field, 5.5)}em}}" for field in fields]
    per_row = 4 if len(blanks) <= 4 else 3
    lines = "\\par\\vspace{0.5em}\\noindent ".join(
        "\\hfill ".join(blanks[i:i + per_row]) for i in range(0, len(blanks), per_row))
    return {
        "papersize": "a4paper",
        "figure_align": "htbp",
        "pointsize": "11pt",
        "extraclassoptions": "openany,oneside",
        "babel": "",
        "polyglossia": "",
        "fncychap": "",
        # A blank (＿＿＿＿) never breaks across lines: ＿ sticks to what precedes it, like a closing mark.
        "fontenc": "\\usepackage{fontspec}\n\\usepackage[AutoFakeBold=false]{xeCJK}\n"
                   "\\xeCJKDeclareCharClass{FullRight}{\"FF3F}",
        "fontpkg": (
            "\\setmainfont{FreeSerif}\n\\setsansfont{FreeSans}\n\\setmonofont{FreeMono}\n"
            "\\setCJKmainfont{Noto Serif CJK SC}[BoldFont={Noto Sans CJK SC Bold}]\n"
            "\\setCJKsansfont{Noto Sans CJK SC}[BoldFont={Noto Sans CJK SC Bold}]\n"
            "\\setCJKmonofont{Noto Sans Mono CJK SC}\n"
        ),
        "preamble": (
            "\\usepackage{zhnumber}\n\\usepackage{titletoc}\n"
            "\\newif\\ifsigetrainer\n\\newif\\ifsigebook  % the whole course (a book), else one chapter\n"
            "\\makeatletter\\@ifclassloaded{sphinxmanual}{\\sigebooktrue}{}\\makeatother\n"
            "\\newcommand{\\sigeedition}{\\ifsigetrainer 教师版\\else 学员版\\fi}\n"
            "\\newcommand{\\sigecourse}{" + title + "}\n"
            "\\linespread{1.3}\n\\tracinglostchars=2\n\\setlength{\\tymin}{5em}\n"
            "\\setcounter{secnumdepth}{0}\n"
            "\\renewcommand{\\floatpagefraction}{0.7}\n"
            "\\ifsigebook\n"
            "\\titleformat{\\chapter}[display]{\\sffamily\\bfseries\\huge\\centering}"
            "{第\\zhnumber{\\arabic{chapter}}章}{0.6em}{}\n"
            "\\titlespacing*{\\chapter}{0pt}{0pt}{2em}\n"
            "\\titlecontents{chapter}[0em]{\\addvspace{1.2ex}\\sffamily\\bfseries}"
            "{第\\zhnumber{\\thecontentslabel}章\\quad}{}{\\hfill\\contentspage}\n"
            "\\newcommand{\\sigechapter}[1]{\\setcounter{secnumdepth}{0}\\setcounter{chapter}{\\numexpr#1-1\\relax}}\n"
            "\\newcommand{\\sigeunnumbered}{\\setcounter{secnumdepth}{-1}}\n"
            "\\AtBeginDocument{\\renewcommand{\\chaptermark}[1]{\\markboth{\\ifnum\\value{secnumdepth}>-1 "
            "第\\zhnumber{\\arabic{chapter}}章\\quad\\fi #1}{}}}\n"
            "\\fi\n"
            "\\usepackage[labelsep=quad]{caption}\n"
            "\\renewcommand{\\figurename}{图}\n"
            "\\renewcommand{\\tablename}{表}\n"
            "\\AtBeginDocument{\\renewcommand{\\contentsname}{目录}}\n"
            + PRINT_MACROS
        ),
        "maketitle": (
            "\\makeatletter\n"
            "\\hypersetup{pdftitle={\\@title（\\sigeedition）}, pdfauthor={\\@author},"
            " pdfsubject={\\sigecourse：" + kind + "}}\n"
            "\\ifsigebook\n"
            "\\begin{titlepage}\\centering\\sffamily\n"
            "\\vspace*{0.18\\textheight}\n"
            "{\\bfseries\\LARGE " + broken + "\\par}\n"
            "\\vspace{2.5em}{\\Large " + kind + "（\\sigeedition）\\par}\n"
            "\\vspace{0.8em}{\\large \\ifsigetrainer 含答案、解析、原文依据与研讨提示\\else 练习题与研讨题（不含答案）\\fi\\par}\n"
            "\\vspace{4em}{\\large 期次：\\sigeblank{9em}\\qquad 日期：\\sigeblank{9em}\\par}\n"
            "\\vspace{1.5em}{\\large 姓名：\\sigeblank{9em}\\qquad 单位：\\sigeblank{9em}\\par}\n"
            "\\vfill{\\large \\@author\\par}\n"
            "\\end{titlepage}\n"
            "\\else\n"
            "\\begin{center}\\sffamily\n"
            "{\\small \\sigecourse\\par}\\vspace{0.6em}\n"
            "{\\bfseries\\LARGE \\@title\\par}\\vspace{0.4em}\n"
            "{\\normalsize " + kind + "（\\sigeedition）\\par}\n"
            "\\end{center}\n"
            "\\noindent " + lines + "\\par\\vspace{0.3em}\\noindent\\rule{\\linewidth}{0.4pt}\\par\\vspace{0.5em}\n"
            "\\fi\n"
            "\\makeatother\n"
        ),
        # Outlines written in the same pass (bookmark) and no page labels: a handout without contents or
        # references needs one xelatex pass.
        "hyperref": "\\usepackage[pdfpagelabels=false]{hyperref}\n\\usepackage{bookmark}\n\\usepackage{hypcap}",
        "tableofcontents": "\\ifsigebook\\sphinxtableofcontents\\fi",
        "releasename": "",
        "makeindex": "",
        "printindex": "",
        "sphinxsetup": "TitleColor={rgb}{0.55,0.05,0.05}, InnerLinkColor={rgb}{0.55,0.05,0.05}",
    }


def _run(cmd: list[str], cwd: Path, what: str = "") -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise HandoutError(f"{what}失败（退出码 {result.returncode}）：\n{(result.stdout + result.stderr)[-4000:]}")


def sphinx_conf(work: Path) -> tuple[Path, list[Chapter]]:
    """Write the handout build's Sphinx ``conf.py`` into ``work`` (a new, empty folder, so no stale .tex,
    doctree or notebook output ends up in a handout) with ``jupyter-book config sphinx`` from the book's
    ``_config.yml`` plus the handout settings; return the folder and the chapters."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    chapters = toc_chapters()
    config.setdefault("execute", {})["execute_notebooks"] = "force"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    config["sphinx"].setdefault("extra_extensions", []).append(EXTENSION)
    sphinx_config.update({
        "sige_handout_documents": handout_documents(config, chapters),
        "sige_handout_numbers": {c.docname: c.number for c in chapters if c.number},
        "latex_use_xindy": False,
        "numfig_secnum_depth": 0,  # 图 1, 图 2 … through the document
        "nb_render_markdown_format": "myst",  # Markdown outputs with tables and {only} blocks
        "latex_elements": latex_elements(config["title"]),
    })
    (work / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    _run([str(jupyter_book), "config", "sphinx", str(ROOT), "--config", str(work / "_config.yml")], ROOT,
         what="Sphinx 配置生成")
    return work, chapters


def sphinx_latex(edition: str, work: Path, source: Path = ROOT) -> Path:
    """The LaTeX sources of one edition: ``sphinx-build -b latex`` (``-t trainer`` for the trainer edition)
    with the conf.py in ``work``. Both editions share one doctree folder, so the pages are read and executed
    once and the second edition only writes."""
    sphinx_build = Path(sys.executable).with_name("sphinx-build")
    tags = ["-t", TRAINER_TAG] if edition == "trainer" else []
    out = work / f"latex-{edition}"
    _run([str(sphinx_build), "-b", "latex", "-c", str(work), "-d", str(work / "doctrees"), *tags,
          "-n", "-W", "--keep-going", "-q", str(source), str(out)], source,
         what=f"{EDITION_NAMES[edition]} LaTeX 生成")
    return out


def document_pdfs(markdown: str, stem: str, title: str, out_dir: Path, *, kind: str, fields: tuple[str, ...],
                  pdf: bool = True) -> list[Path]:
    """One Markdown page (a batch paper) through the handouts' pipeline: a Sphinx project of that page alone
    (MyST, the handout extension and LaTeX settings), read once, written per edition by tags, then xelatex.
    Writes ``<stem>-<edition>.tex`` (and ``.pdf``) into ``out_dir``; the Sphinx project lives in a temporary
    folder, so any output folder name works (relative, non-ASCII, not UTF-8)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="sige-paper-") as scratch:
        return _document_pdfs(markdown, stem, title, out_dir, Path(scratch), config, kind=kind, fields=fields, pdf=pdf)


def _document_pdfs(markdown: str, stem: str, title: str, out_dir: Path, work: Path, config: dict, *, kind: str,
                   fields: tuple[str, ...], pdf: bool) -> list[Path]:
    source = work / "source"
    source.mkdir(parents=True)
    (source / f"{stem}.md").write_text(markdown, encoding="utf-8")
    settings = {
        "project": title, "author": config["author"], "copyright": str(config.get("copyright", "")),
        "language": "zh_CN", "root_doc": stem, "extensions": ["myst_parser", EXTENSION],
        "myst_enable_extensions": ["colon_fence"], "latex_engine": "xelatex", "latex_use_xindy": False,
        "sige_handout_documents": [[stem, stem, title, "howto"]],
        "latex_elements": latex_elements(config["title"], kind, fields),
    }
    (work / "conf.py").write_text("".join(f"{key} = {value!r}\n" for key, value in settings.items()), encoding="utf-8")
    sources = [sphinx_latex(edition, work, source) / f"{stem}-{edition}.tex" for edition in EDITIONS]
    made = sources
    if pdf:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            made = [path for pair in zip(sources, pool.map(compile_pdf, sources)) for path in pair]
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in made:
        atomic_write(out_dir / path.name, path.read_bytes())
    return [out_dir / path.name for path in made]


def compile_pdf(tex: Path) -> Path:
    """xelatex one document, as many passes as it needs; return the PDF."""
    try:
        pdf, log = typeset(tex)
    except LatexError as exc:
        raise HandoutError(str(exc)) from None
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) \(", log)))
    if missing:
        raise HandoutError(f"{tex.name}：字体中缺少这些字符（会显示为方框）：{' '.join(missing)}")
    return pdf


class Progress:
    """Per-handout progress: a bar on a terminal (tqdm), else one Chinese line per step."""

    def __init__(self, terminal: bool):
        self.started = time.monotonic()
        self.lock = threading.Lock()  # PDFs finish on the worker threads
        self.bar = None
        if terminal:
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="份", desc="讲义", dynamic_ncols=True)

    def step(self, text: str, handouts: int = 0) -> None:
        """A step of the build (``handouts`` more PDFs to typeset)."""
        with self.lock:
            if self.bar is None:
                print(f"{text}（{time.monotonic() - self.started:.0f} 秒）", flush=True)
                return
            self.bar.total += handouts
            self.bar.set_description_str(text)
            self.bar.refresh()

    def done(self, pdf: Path) -> None:
        """One PDF finished."""
        with self.lock:
            if self.bar is None:
                print(f"已排版 {pdf.name}（{time.monotonic() - self.started:.0f} 秒）", flush=True)
            else:
                self.bar.set_postfix_str(pdf.name, refresh=False)
                self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def build(out: Path = DEFAULT_OUT, editions=EDITIONS, progress: bool | None = None) -> list[Path]:
    """Build every handout of the given editions into ``out``; return the PDFs in build order.

    ``progress``: a bar (True), step lines (False) or, by default, a bar only when stdout is a terminal."""
    for tool in ("xelatex", "xdvipdfmx"):
        if shutil.which(tool) is None:
            raise HandoutError(f"找不到 {tool}：请先运行 ./course pdf（它会安装 texlive-xetex 等软件包）")
    for edition in editions:
        if edition not in EDITIONS:
            raise HandoutError(f"没有“{edition}”这一版本；可选：{'、'.join(EDITIONS)}")
    out = Path(os.path.abspath(out))
    out.mkdir(parents=True, exist_ok=True)
    report = Progress(sys.stdout.isatty() if progress is None else progress)
    try:
        with tempfile.TemporaryDirectory(prefix="sige-handouts-") as scratch:
            return _build(out, editions, Path(scratch), report)
    finally:
        report.close()


def _build(out: Path, editions, work: Path, report: Progress) -> list[Path]:
    """Sphinx writes each edition's LaTeX (the pages read once, for the first); its documents go to xelatex
    at once, the largest first, while Sphinx writes the next edition."""
    report.step("读取并执行课程页面")
    work, _ = sphinx_conf(work)
    jobs: dict = {}

    def publish(tex: Path) -> Path:
        pdf = compile_pdf(tex)
        atomic_write(out / pdf.name, pdf.read_bytes())
        report.done(pdf)
        return out / pdf.name

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        try:
            for edition in editions:
                sources = sorted(sphinx_latex(edition, work).glob(f"*-{edition}.tex"))
                report.step(f"{EDITION_NAMES[edition]}排版", len(sources))
                for tex in sorted(sources, key=lambda path: path.stat().st_size, reverse=True):
                    jobs[tex] = pool.submit(publish, tex)
            for job in as_completed(jobs.values()):
                job.result()  # the first failure, if any
        except BaseException:
            for job in jobs.values():
                job.cancel()
            raise
    return [jobs[tex].result() for tex in sorted(jobs, key=_build_order)]


def _build_order(tex: Path) -> tuple[int, str]:
    return EDITIONS.index(tex.stem.rsplit("-", 1)[1]), tex.name


def _edition(app) -> str:
    return "trainer" if app.tags.has(TRAINER_TAG) else "learner"


def _holds(condition, tags) -> bool:
    """A print condition: ``never`` (web only), else a Sphinx tag expression such as ``trainer``."""
    return str(condition) != NEVER and tags.eval_condition(str(condition))


def _printed(env, docname: str, tags) -> bool:
    """Whether a page is printed in this edition: its ``handout`` front-matter key (``handout: trainer`` for
    pages only the trainer edition prints, ``handout: never`` for pages not printed) holds for the tags."""
    condition = env.metadata.get(docname, {}).get("handout")
    return not condition or _holds(condition, tags)


def _section_conditions(env, docname: str) -> dict[str, str]:
    """The page's ``handout-sections`` front matter: section title -> print condition (as for ``handout``)."""
    value = env.metadata.get(docname, {}).get("handout-sections") or {}
    return json.loads(value) if isinstance(value, str) else dict(value)


def _sections(node, page: str):
    """(container, section, page) of every section under ``node``, the page being the nearest included file
    (the assembled whole-course tree does not set the parents of the pages it includes, so walk down)."""
    for child in list(node.children):
        own = child["docname"] if isinstance(child, addnodes.start_of_file) else page
        if isinstance(child, nodes.section):
            yield node, child, own
        if isinstance(child, nodes.Element):
            yield from _sections(child, own)


def _drop_sections(app, doctree, docname) -> None:
    """Leave out of this edition the sections a page's ``handout-sections`` does not print (with the cells
    and blocks under them), e.g. a maintainer's notes kept out of the learner handout."""
    if app.builder.name != "latex":
        return
    for container, section, page in list(_sections(doctree, docname)):
        condition = _section_conditions(app.env, page).get(section.next_node(nodes.title).astext().strip())
        if condition is not None and not _holds(condition, app.tags) and section in container.children:
            container.remove(section)


def _mark_edition(app, config) -> None:
    """Tell the LaTeX preamble which edition this build is (from the Sphinx tags)."""
    if _edition(app) == "trainer":
        elements = dict(config.latex_elements)
        elements["preamble"] = elements.get("preamble", "") + "\\sigetrainertrue\n"
        config.latex_elements = elements


def _set_latex_documents(app, env) -> None:
    """One LaTeX document per handout of this edition (named ``<stem>-<edition>.tex``).

    jupyter-book's own ``latex_documents`` handling takes one document; the builder reads the list
    when it writes, so it is set here, once the pages (and their front matter) are read."""
    edition, author = _edition(app), app.config.author
    app.config.latex_documents = [
        (docname, f"{stem}-{edition}.tex", title, author, theme, False)
        for docname, stem, title, theme in app.config.sige_handout_documents
        if _printed(env, docname, app.tags)
    ]


def _course_structure(app, doctree, docname) -> None:
    """In the whole-course document, every page is one chapter, numbered as ``_toc.yml`` numbers it.

    Sphinx takes the start page's title as the document's title and makes the start page's sections
    chapters; here the start page gets its own chapter (under an unprinted document title) and the
    pages of the table of contents follow it as chapters. Pages this edition does not print are dropped."""
    if app.builder.name != "latex":
        return
    pages = [node for node in doctree.findall(addnodes.start_of_file)
             if not any(isinstance(a, addnodes.start_of_file) for a in _ancestors(node))]
    for page in pages:
        page.parent.remove(page)
    pages = [page for page in pages if _printed(app.env, page["docname"], app.tags)]
    first = next((n for n in doctree.children if isinstance(n, nodes.section)), None)
    if not pages or first is None:
        return
    numbers = app.config.sige_handout_numbers
    book = nodes.section()
    book += nodes.title("", app.config.project)
    doctree.replace(first, book)
    book += nodes.raw("", "\\sigeunnumbered\n", format="latex")
    book += first
    for page in pages:
        number = numbers.get(page["docname"])
        mark = f"\\sigechapter{{{number}}}\n" if number else "\\sigeunnumbered\n"
        book += nodes.raw("", mark, format="latex")
        book += page


def _ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def setup(app):
    """Sphinx extension of the handout build only: the edition from the tags, one LaTeX document per
    handout, the whole-course document's chapters. Its settings never force a re-read, so both editions
    share the pages as read (and executed) once."""
    app.add_config_value("sige_handout_documents", [], "")
    app.add_config_value("sige_handout_numbers", {}, "")
    app.connect("config-inited", _mark_edition)
    app.connect("env-updated", _set_latex_documents)
    app.connect("doctree-resolved", _drop_sections, priority=400)  # before the pages become chapters
    app.connect("doctree-resolved", _course_structure)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
