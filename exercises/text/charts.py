"""Charts with matplotlib and a CJK font registered once, so Chinese never shows as tofu.

Figures are made with ``matplotlib.figure.Figure``, not pyplot: nothing global to close, and a page that draws a
chart does not pay for pyplot's import (about 0.2 s of the Voilà page's start).
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

CJK_FONT_FILES = (
    # Debian/Ubuntu fonts-noto-cjk (apt.txt installs it for Binder, .ci/run for CI).
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)
CJK_FAMILY = "Noto Sans CJK SC"


class FontMissing(RuntimeError):
    """No CJK font is installed; the message says how to install one."""


@lru_cache(maxsize=1)
def setup_cjk_font() -> str:
    """Register the CJK font file with matplotlib (once) and make it the default sans-serif."""
    import matplotlib
    from matplotlib import font_manager

    for candidate in CJK_FONT_FILES:
        if Path(candidate).exists():
            font_manager.fontManager.addfont(candidate)
            break
    names = {f.name for f in font_manager.fontManager.ttflist}
    family = CJK_FAMILY if CJK_FAMILY in names else next((n for n in names if "CJK" in n), None)
    if family is None:
        raise FontMissing("未找到中文字体：请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）。")
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def png(fig, tight: bool = False) -> bytes:
    """The figure as PNG bytes at its own resolution; ``tight`` crops to the drawn area, as notebooks show it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", **({"bbox_inches": "tight"} if tight else {}))
    return buffer.getvalue()


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    setup_cjk_font()
    fig = Figure(figsize=(width, height), dpi=110)
    return fig, fig.subplots()


def bar_chart(counts: list[tuple[str, int]], title: str, xlabel: str = "出现次数"):
    """A horizontal bar chart with the value written on each bar (colour is not the only cue)."""
    from matplotlib.ticker import MaxNLocator

    labels = [word for word, _ in counts][::-1]
    values = [n for _, n in counts][::-1]
    fig, ax = _figure(6.4, 0.32 * len(labels) + 1.2)
    bars = ax.barh(labels, values, color="#b71c1c")
    ax.bar_label(bars, padding=3)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def heatmap(matrix: list[list[float]], row_labels: list[str], column_labels: list[str], title: str,
            value_label: str = "出现次数"):
    """A heat map with every cell's value written on it (colour is not the only cue)."""
    fig, ax = _figure(1.3 * len(column_labels) + 2.4, 0.36 * len(row_labels) + 1.6)
    image = ax.imshow(matrix, cmap="Reds", aspect="auto", vmin=0)
    ax.set_xticks(range(len(column_labels)), column_labels)
    ax.set_yticks(range(len(row_labels)), row_labels)
    ax.xaxis.tick_top()
    peak = max((v for row in matrix for v in row), default=0) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            ax.text(j, i, f"{value:g}", ha="center", va="center",
                    color="white" if value > peak * 0.6 else "black")
    fig.colorbar(image, ax=ax, label=value_label, shrink=0.8)
    ax.set_title(title, pad=12)
    fig.tight_layout()
    return fig


def percentage_bars(rows: list[tuple[str, float, str]], title: str, xlabel: str = "得分率（%）"):
    """Horizontal bars of percentages, each labelled with its own text (e.g. "3 / 5 分")."""
    labels = [label for label, _, _ in rows][::-1]
    values = [value for _, value, _ in rows][::-1]
    texts = [text for _, _, text in rows][::-1]
    fig, ax = _figure(6.4, 0.45 * len(labels) + 1.2)
    bars = ax.barh(labels, values, color="#b71c1c")
    ax.bar_label(bars, labels=texts, padding=3)
    ax.set_xlim(0, 145)
    ax.set_xticks(range(0, 101, 20))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
