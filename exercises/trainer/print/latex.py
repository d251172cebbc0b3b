"""TeX for print: the one TeX escaper, the print form's LaTeX macros (for the Sphinx LaTeX build of the
handouts and papers), and xelatex with only the passes a document needs (handouts, papers, certificates)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                 "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}"}
# The print form's boxes and lines: a question kept on one page, the trainer's shaded key, a blank to
# write on, ruled writing lines, a notes box.
PRINT_MACROS = r"""\newenvironment{sigequestion}{\par\addvspace{0.8\baselineskip}\noindent\begin{minipage}{\linewidth}%
\setlength{\parskip}{0.35em}}{\end{minipage}\par\addvspace{0.4\baselineskip}}
\newsavebox{\sigekeybox}
\newenvironment{sigekey}{\par\addvspace{0.3em}\noindent\begin{lrbox}{\sigekeybox}%
\begin{minipage}{\dimexpr\linewidth-2\fboxsep-2\fboxrule\relax}\small\setlength{\parskip}{0.25em}}%
{\end{minipage}\end{lrbox}\fcolorbox{black!55}{black!7}{\usebox{\sigekeybox}}\par}
\newcommand{\sigeblank}[1]{\underline{\makebox[#1]{}}}
\newcount\sigelinecount
\newcommand{\sigelines}[1]{\par\begingroup\sigelinecount=#1\relax
\loop\noindent\rule{0pt}{2.1em}\rule{\linewidth}{0.4pt}\par\advance\sigelinecount by -1\relax
\ifnum\sigelinecount>0 \repeat\endgroup}
\newcommand{\sigenotes}[1]{\par\noindent\fbox{\parbox[t][\dimexpr 2.1em*#1\relax][t]%
{\dimexpr\linewidth-2\fboxsep-2\fboxrule\relax}{\small 研讨记录：}}\par}
"""


class LatexError(RuntimeError):
    """xelatex failed; the message names the log with the details."""


# After a pass, another is needed when a reference is still undefined, a package asks for one, the contents
# changed, or (after the first pass, when every label is new) a label moved.
RERUN = re.compile(r"Rerun to get (?!cross-references)|There were undefined references|"
                   r"Reference `[^']*' on page \d+ undefined")
LABELS_MOVED = "Label(s) may have changed"
MAX_PASSES = 4


def escape_latex(text: str) -> str:
    """Course text as TeX that prints it literally."""
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in text)


def _run(cmd: list[str], folder: Path, timeout: int) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, cwd=folder, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LatexError(f"{cmd[0]} 超过 {timeout} 秒仍未结束，已停止") from None


def typeset(tex: Path, timeout: int = 300) -> tuple[Path, str]:
    """xelatex on ``tex`` in its folder, only as many passes as the document needs (one for a document
    without contents or references), then xdvipdfmx once. Return the PDF and the last pass's log;
    raise LatexError with the log's last lines when a pass fails."""
    log_path = tex.with_suffix(".log")
    for number in range(1, MAX_PASSES + 1):
        toc = tex.with_suffix(".toc")
        before = toc.read_bytes() if toc.exists() else None
        result = _run(["xelatex", "-no-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
                       tex.name], tex.parent, timeout)
        log = log_path.read_text("utf-8", "replace") if log_path.exists() else result.stdout.decode("utf-8", "replace")
        if result.returncode != 0:
            raise LatexError(f"{tex.name} 排版失败（xelatex 退出码 {result.returncode}）：\n{log[-3000:]}")
        after = toc.read_bytes() if toc.exists() else None
        if not (after != before or RERUN.search(log) or (number > 1 and LABELS_MOVED in log)):
            break
    result = _run(["xdvipdfmx", "-E", "-o", tex.with_suffix(".pdf").name, tex.with_suffix(".xdv").name],
                  tex.parent, timeout)
    if result.returncode != 0:
        raise LatexError(f"{tex.name} 转为 PDF 失败：{result.stderr.decode('utf-8', 'replace')[-2000:]}")
    return tex.with_suffix(".pdf"), log


def compile_pdf(tex_path: Path, timeout: int = 300) -> Path:
    """Typeset a stand-alone document in a scratch folder; put the PDF next to the .tex file."""
    if shutil.which("xelatex") is None or shutil.which("xdvipdfmx") is None:
        raise LatexError("未找到 xelatex：请安装 texlive-xetex、texlive-lang-chinese、fonts-noto-cjk。")
    with tempfile.TemporaryDirectory(prefix="sige-latex-") as scratch:
        source = Path(scratch) / "paper.tex"
        shutil.copyfile(tex_path, source)
        try:
            made, log_text = typeset(source, timeout)
            failed = "缺少字形" if "Missing character" in log_text else None
        except LatexError:
            log = source.with_suffix(".log")
            log_text, failed = (log.read_text("utf-8", "replace") if log.exists() else ""), "xelatex 出错"
        if failed:
            saved = tex_path.with_suffix(".log")
            saved.write_text(log_text, encoding="utf-8")
            raise LatexError(f"{tex_path.name} 排版失败（{failed}），详见 {saved}")
        pdf = tex_path.with_suffix(".pdf")
        shutil.copyfile(made, pdf)
    return pdf
