"""个人码条: one slip per roster learner (name, 学号, 个人码, and a QR code that opens the collection address with
学号 and 个人码 filled in), ten to an A4 page to cut apart, as a PDF (xelatex, the ``qrcode`` package)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ..records.output import write_text
from ..records.pins import Pin
from .latex import compile_pdf, escape_latex

PER_PAGE = 10
PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[margin=1.2cm]{geometry}
\usepackage{xeCJK}
\setmainfont{Noto Sans CJK SC}
\setCJKmainfont{Noto Sans CJK SC}
\setmonofont{Noto Sans Mono CJK SC}
\usepackage{qrcode}
\pagestyle{empty}
\setlength{\parindent}{0pt}
\setlength{\fboxsep}{0pt}
\begin{document}
"""
QR_SPECIAL = set("#$&^_~%\\{}")


def slip_url(address: str, number: str, pin: str) -> str:
    """The address a slip's QR code opens: the book, with the 学号 and 个人码 for the hand-in in the fragment
    (a fragment is never sent to the server or kept in its logs)."""
    return f"{address.split('#')[0]}#handin-number={quote(number, safe='')}&handin-pin={pin}"


def _qr_text(text: str) -> str:
    return "".join("\\" + ch if ch in QR_SPECIAL else ch for ch in text)


def _slip(batch: str, address: str, pin: Pin) -> str:
    e = escape_latex
    return (
        "\\begin{minipage}[t][4.8cm][c]{0.49\\textwidth}\\centering"
        "\\begin{minipage}{0.55\\linewidth}\\raggedright\n"
        f"{{\\small 交卷个人码条 · {e(batch)}}}\\\\[0.5em]\n"
        f"姓名：{e(pin.name)}\\\\\n学号：{e(pin.number)}\\\\[0.3em]\n"
        f"个人码：{{\\ttfamily\\Large\\bfseries {e(pin.pin)}}}\\\\[0.5em]\n"
        f"{{\\footnotesize 扫码打开课程（学号和个人码自动填好），或打开 {{\\ttfamily {e(address)}}}。个人码请勿告诉他人。}}\n"
        "\\end{minipage}\\hfill\\begin{minipage}{0.4\\linewidth}\\centering"
        f"\\qrcode[height=3.2cm]{{{_qr_text(slip_url(address, pin.number, pin.pin))}}}"
        "\\end{minipage}\\end{minipage}")


def slips_tex(batch: str, address: str, pins: list[Pin]) -> str:
    """The LaTeX document: two slips a row, five rows a page, dashed lines to cut along."""
    pages = []
    for start in range(0, len(pins), PER_PAGE):
        chunk = pins[start:start + PER_PAGE]
        rows = []
        for i in range(0, len(chunk), 2):
            pair = [_slip(batch, address, p) for p in chunk[i:i + 2]]
            rows.append("\\hfill\\vrule\\hfill".join(pair) if len(pair) == 2 else pair[0])
        pages.append("\n\n\\noindent\\makebox[\\linewidth]{\\dotfill}\n\n".join(rows))
    return PREAMBLE + "\n\\newpage\n".join(pages) + "\n\\end{document}\n"


def write_slips(batch: str, address: str, pins: list[Pin], out: Path) -> Path:
    """Write the slips' PDF to ``out``; its .tex (which holds the codes too) is removed once the PDF is made."""
    tex = write_text(Path(out).with_suffix(".tex"), slips_tex(batch, address, pins))
    pdf = compile_pdf(tex)
    tex.unlink()
    return pdf
