"""TeX for print: the one TeX escaper, the print form's LaTeX macros (for the Sphinx LaTeX build of the
handouts and papers), and xelatex on a stand-alone document (certificates)."""
from __future__ import annotations

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


def escape_latex(text: str) -> str:
    """Course text as TeX that prints it literally."""
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in text)


def compile_pdf(tex_path: Path, timeout: int = 300) -> Path:
    """Run latexmk with xelatex in a scratch folder; put the PDF next to the .tex file."""
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise LatexError("未找到 latexmk 或 xelatex：请安装 texlive-xetex、texlive-lang-chinese、latexmk、fonts-noto-cjk。")
    with tempfile.TemporaryDirectory(prefix="sige-latex-") as scratch:
        source = Path(scratch) / "paper.tex"
        shutil.copyfile(tex_path, source)
        result = subprocess.run(
            ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", source.name],
            cwd=scratch, capture_output=True, text=True, timeout=timeout,
        )
        log = Path(scratch) / "paper.log"
        log_text = log.read_text("utf-8", "replace") if log.exists() else result.stdout + result.stderr
        if result.returncode != 0 or "Missing character" in log_text:
            saved = tex_path.with_suffix(".log")
            saved.write_text(log_text, encoding="utf-8")
            reason = "缺少字形" if result.returncode == 0 else "xelatex 出错"
            raise LatexError(f"{tex_path.name} 排版失败（{reason}），详见 {saved}")
        pdf = tex_path.with_suffix(".pdf")
        shutil.copyfile(Path(scratch) / "paper.pdf", pdf)
    return pdf
