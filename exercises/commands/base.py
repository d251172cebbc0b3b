"""What every command shares: Chinese argparse texts and help layout, the exit codes, argument types."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import exercises

ROOT = Path(exercises.__file__).resolve().parent.parent
OK, FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130

EXIT_CODES = """退出码：
  0    成功
  1    输入或运行环境有误（找不到文件夹、无法写入、题库有错、缺少排版软件等），或生成失败
  2    用法错误（未知的命令或选项、缺少参数、参数值不对）
  130  按 Ctrl+C 中断
course test 返回 pytest 的退出码（0 全部通过，1 有测试未通过，2 中断，4 用法错误，5 没有选中测试）。"""

# argparse's own texts (its gettext message ids, Python 3.11+), in Chinese.
ARGPARSE_TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可以是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值：%r",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
}


def _gettext(message: str) -> str:
    return ARGPARSE_TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def use_chinese_argparse() -> None:
    """argparse looks its texts up through module-level gettext functions; answer them in Chinese."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the help's line breaks and ends section headings with a full-width colon."""

    def format_help(self) -> str:
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.M)


class CommandError(Exception):
    """A user error found by a command itself: one Chinese line, exit code 1."""


def add_command(subparsers, name: str, summary: str, description: str | None = None) -> argparse.ArgumentParser:
    """A (sub)command's parser with the Chinese help layout and the exit codes after its help."""
    return subparsers.add_parser(name, help=summary, description=description or summary,
                                 formatter_class=ChineseHelpFormatter, epilog=EXIT_CODES)


def repository() -> Path:
    """The course repository this package is installed from (``pip install -e``), else a CommandError."""
    if not (ROOT / "_toc.yml").is_file():
        raise CommandError(f"这条命令要在课程仓库中运行（以 pip install -e 安装本课程），{ROOT} 不是课程仓库。")
    return ROOT


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数，现在是“{text}”") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，现在是 {value}")
    return value


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，现在是“{text}”") from None


def bounded(kind: type, low: float, high: float):
    """An argparse type: a finite number of ``kind`` in [low, high], the range named when it is not."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or value != value or not low <= value <= high:
            what = "整数" if kind is int else "数"
            shown = (f"{low:d} 到 {high:d}" if kind is int else f"{low:g} 到 {high:g}")
            raise argparse.ArgumentTypeError(f"应为 {shown} 之间的{what}，现在是“{text[:40]}”")
        return value

    return parse
