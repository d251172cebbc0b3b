"""PDF handouts for trainers: the learner paper and the trainer edition, whole course and per chapter.

One Sphinx LaTeX build of the book per edition (pages executed with ``SIGE_COURSE_EDITION`` set, so
exercises and 研讨题 print in that edition's Markdown form), then xelatex on every document.
Run ``python -m exercises.handouts [output folder]``; the ``course pdf`` command calls it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..renderers.print_form import EDITION_ENV, EDITIONS

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "_build" / "handouts"
EDITION_NAMES = {"learner": "学员版", "trainer": "教师版"}
EDITION_NOTES = {"learner": "练习题与研讨题（不含答案）", "trainer": "含答案、解析、原文依据与研讨提示"}
COURSE_NAME = "course"
# Pages for trainers only (the 研讨 guides of every chapter): left out of the learner edition.
TRAINER_ONLY_PAGES = ("book/trainer-guide",)


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
        return f"第{zh_number(self.number)}章　{self.title}" if self.number else self.title

    @property
    def stem(self) -> str:
        return Path(self.docname).name


def zh_number(n: int) -> str:
    """1..99 in Chinese numerals (一, 十二, 二十一)."""
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _page_title(root: Path, docname: str) -> str:
    for suffix in (".md", ".ipynb"):
        path = root / f"{docname}{suffix}"
        if path.exists():
            text = path.read_text(encoding="utf-8")
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


def edition_chapters(chapters: list[Chapter], edition: str) -> list[Chapter]:
    """The chapters printed in an edition (trainer-only pages only in the trainer edition)."""
    return [c for c in chapters if edition == "trainer" or c.docname not in TRAINER_ONLY_PAGES]


def _latex_documents(config: dict, chapters: list[Chapter], edition: str) -> list[list]:
    chapters = edition_chapters(chapters, edition)
    author = config.get("author", "")
    docs = [[toc_root(), f"{COURSE_NAME}-{edition}.tex", config["title"], author, "manual", False]]
    docs += [[c.docname, f"{c.stem}-{edition}.tex", c.label, author, "manual", False] for c in chapters]
    return docs


def toc_root(root: Path = ROOT) -> str:
    return re.sub(r"\.(md|ipynb)$", "", yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"])


def _latex_elements(edition: str, course_title: str) -> dict[str, str]:
    """Chinese typesetting: Noto CJK fonts, Chinese names and chapter labels, a plain title page."""
    return {
        "papersize": "a4paper",
        "figure_align": "H",
        "pointsize": "11pt",
        "babel": "",
        "polyglossia": "",
        "fncychap": "",
        "fontenc": "\\usepackage{fontspec}\n\\usepackage[AutoFakeBold=false]{xeCJK}",
        "fontpkg": (
            "\\setmainfont{FreeSerif}\n\\setsansfont{FreeSans}\n\\setmonofont{FreeMono}\n"
            "\\setCJKmainfont{Noto Serif CJK SC}[BoldFont={Noto Sans CJK SC Bold}]\n"
            "\\setCJKsansfont{Noto Sans CJK SC}[BoldFont={Noto Sans CJK SC Bold}]\n"
            "\\setCJKmonofont{Noto Sans Mono CJK SC}\n"
        ),
        "preamble": (
            "\\usepackage{zhnumber}\n\\usepackage{titletoc}\n"
            "\\linespread{1.3}\n\\tracinglostchars=2\n\\setlength{\\tymin}{5em}\n"
            "\\setcounter{secnumdepth}{0}\n"
            "\\titleformat{\\chapter}[display]{\\sffamily\\bfseries\\huge\\centering}"
            "{第\\zhnumber{\\arabic{chapter}}章}{0.6em}{}\n"
            "\\titlespacing*{\\chapter}{0pt}{0pt}{2em}\n"
            "\\titlecontents{chapter}[0em]{\\addvspace{1.2ex}\\sffamily\\bfseries}"
            "{第\\zhnumber{\\thecontentslabel}章\\quad}{}{\\hfill\\contentspage}\n"
            "\\usepackage[labelsep=quad]{caption}\n"
            "\\renewcommand{\\figurename}{图}\n"
            "\\renewcommand{\\tablename}{表}\n"
            "\\renewcommand{\\sphinxnonalphabeticalgroupname}{其他}\n"
            "\\renewcommand{\\sphinxsymbolsname}{符号}\n"
            "\\renewcommand{\\sphinxnumbersname}{数字}\n"
            "\\AtBeginDocument{\\renewcommand{\\contentsname}{目录}}\n"
        ),
        "maketitle": (
            "\\makeatletter\\begin{titlepage}\\centering\\sffamily\n"
            "\\vspace*{0.22\\textheight}\n"
            "{\\bfseries\\LARGE \\@title\\par}\n"
            "\\vspace{2.5em}{\\Large 轮训讲义（" + EDITION_NAMES[edition] + "）\\par}\n"
            "\\vspace{0.8em}{\\large " + EDITION_NOTES[edition] + "\\par}\n"
            "\\vfill{\\large \\@author\\par}\n"
            "\\vspace{0.8em}{\\normalsize " + _tex_escape(course_title) + "\\par}\n"
            "\\end{titlepage}\\makeatother\n"
        ),
        "releasename": "",
        "makeindex": "",
        "printindex": "",
        "sphinxsetup": "TitleColor={rgb}{0.55,0.05,0.05}, InnerLinkColor={rgb}{0.55,0.05,0.05}",
    }


def _tex_escape(text: str) -> str:
    return re.sub(r"([\\{}$&#^_%~])", lambda m: f"\\char{ord(m.group(1))}\\relax{{}}", text)


def _drop_trainer_pages(part: str) -> str:
    """One page's LaTeX, or only the document's closing lines if the page is for trainers only."""
    if not any(f"\\label{{\\detokenize{{{doc}::doc}}}}" in part for doc in TRAINER_ONLY_PAGES):
        return part
    end = part.find("\\renewcommand{\\indexname}")
    return part[end:] if end >= 0 else ""


DEMOTE = {"chapter": "section", "section": "subsection", "subsection": "subsubsection", "subsubsection": "paragraph"}


def _fix_structure(tex: Path, start: Chapter, chapters: list[Chapter], edition: str) -> None:
    """Make every page one chapter with its TOC number (第一章 …); other pages stay unnumbered.

    Sphinx takes the start page's title as the document title and makes its sections chapters;
    here the start page gets its chapter back and its sections are moved one level down.
    """
    text = tex.read_text(encoding="utf-8")
    if edition == "learner":
        text = "\\sphinxstepscope".join(_drop_trainer_pages(part) for part in text.split("\\sphinxstepscope"))
    anchor = f"\\phantomsection\\label{{\\detokenize{{{start.docname}::doc}}}}"
    head, found, body = text.partition(anchor)
    if not found:
        raise HandoutError(f"{tex.name}：找不到页面 {start.docname} 的开头，Sphinx 的 LaTeX 输出格式可能变了")
    own, sep, rest = body.partition("\\sphinxstepscope")
    own = re.sub(r"\\(chapter|section|subsection|subsubsection)\{", lambda m: f"\\{DEMOTE[m.group(1)]}{{", own)
    text = head + f"\\chapter{{{_tex_escape(start.title)}}}\n\\label{{\\detokenize{{{start.docname}::doc}}}}" + own + sep + rest
    numbers = {c.docname: c.number for c in chapters}
    pattern = re.compile(r"\\chapter\{(?P<title>.*?)\}\n\\label\{\\detokenize\{(?P<doc>[^:}]+):[^\n]*\n")

    def number(match: re.Match) -> str:
        n, title = numbers.get(match.group("doc")), match.group("title")
        if n is None:
            return f"\\setcounter{{secnumdepth}}{{-1}}{match.group(0)}\\markboth{{{title}}}{{{title}}}\n"
        label = f"第{zh_number(n)}章\\quad {title}"
        return (f"\\setcounter{{secnumdepth}}{{0}}\\setcounter{{chapter}}{{{n - 1}}}{match.group(0)}"
                f"\\markboth{{{label}}}{{{label}}}\n")

    tex.write_text(pattern.sub(number, text), encoding="utf-8")


def _run(cmd: list[str], cwd: Path, env: dict | None = None, what: str = "") -> None:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise HandoutError(f"{what}失败（退出码 {result.returncode}）：\n{(result.stdout + result.stderr)[-4000:]}")


def sphinx_latex(edition: str, work: Path) -> tuple[Path, list[Chapter]]:
    """Write the LaTeX sources of one edition into ``work`` (cleaned first); return the folder."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    chapters = toc_chapters()
    if work.exists():
        shutil.rmtree(work)  # a stale .tex or notebook cache must never end up in a handout
    work.mkdir(parents=True)
    config.setdefault("execute", {})["execute_notebooks"] = "force"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["sige_handout_documents"] = _latex_documents(config, chapters, edition)
    config["sphinx"].setdefault("extra_extensions", []).append("exercises.handouts")
    sphinx_config["latex_use_xindy"] = False
    sphinx_config["numfig_secnum_depth"] = 0  # 图 1, 图 2 … through the document
    sphinx_config["nb_render_markdown_format"] = "myst"  # Markdown outputs with tables
    sphinx_config["latex_elements"] = _latex_elements(edition, config["title"])
    config_file = work / "_config.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    env = {**os.environ, EDITION_ENV: edition}
    _run([str(jupyter_book), "build", str(ROOT), "--builder", "latex", "--config", str(config_file),
          "--path-output", str(work), "-n", "-W", "--keep-going"], ROOT, env, f"{EDITION_NAMES[edition]} LaTeX 生成")
    latex_dir = work / "_build" / "latex"
    root = Chapter(toc_root(), _page_title(ROOT, toc_root()), None)
    for page, doc in zip([root, *edition_chapters(chapters, edition)], _latex_documents(config, chapters, edition)):
        _fix_structure(latex_dir / doc[1], page, chapters, edition)
    return latex_dir, chapters


def compile_pdf(tex: Path) -> Path:
    """xelatex (through latexmk) one document; return the PDF."""
    _run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex.name],
         tex.parent, what=f"{tex.name} 排版")
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) \(", tex.with_suffix(".log").read_text("utf-8", "replace"))))
    if missing:
        raise HandoutError(f"{tex.name}：字体中缺少这些字符（会显示为方框）：{' '.join(missing)}")
    return tex.with_suffix(".pdf")


def build(out: Path = DEFAULT_OUT, editions=EDITIONS) -> list[Path]:
    """Build every handout of the given editions into ``out``; return the PDFs in build order."""
    for tool in ("latexmk", "xelatex"):
        if shutil.which(tool) is None:
            raise HandoutError(f"找不到 {tool}：请先运行 ./course pdf（它会安装 texlive-xetex 等软件包）")
    out.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for edition in editions:
        if edition not in EDITIONS:
            raise HandoutError(f"没有“{edition}”这一版本；可选：{'、'.join(EDITIONS)}")
        started = time.monotonic()
        latex_dir, chapters = sphinx_latex(edition, out / "work" / edition)
        print(f"{EDITION_NAMES[edition]}：LaTeX 已生成（{time.monotonic() - started:.0f} 秒）", flush=True)
        for stem in [COURSE_NAME, *(c.stem for c in edition_chapters(chapters, edition))]:
            pdf = compile_pdf(latex_dir / f"{stem}-{edition}.tex")
            target = out / pdf.name
            shutil.copyfile(pdf, target)
            pdfs.append(target)
        print(f"{EDITION_NAMES[edition]}：{len(edition_chapters(chapters, edition)) + 1} 份 PDF（{time.monotonic() - started:.0f} 秒）", flush=True)
    return pdfs


def _set_latex_documents(app, env) -> None:
    app.config.latex_documents = [tuple(doc) for doc in app.config.sige_handout_documents]


def setup(app):
    """Sphinx extension of the handout build only: every handout is one LaTeX document.

    jupyter-book rewrites ``latex_documents`` after Sphinx starts (and fails on a list of several),
    so the list is set once the pages are read, before the LaTeX builder uses it.
    """
    app.add_config_value("sige_handout_documents", [], "env")
    app.connect("env-updated", _set_latex_documents)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]).resolve() if args else DEFAULT_OUT
    try:
        pdfs = build(out)
    except HandoutError as exc:
        print(f"讲义生成失败：{exc}", file=sys.stderr)
        return 1
    print(f"讲义已生成（{len(pdfs)} 份），在 {out}：")
    for pdf in pdfs:
        print(f"  {pdf.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
