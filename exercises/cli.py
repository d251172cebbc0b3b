"""The course's command line, ``course <命令>``: the parser of every command in ``commands/``, run with the
one error mapping (``commands/errors.py``). Commands that work on the course itself (book, test, pdf, bench)
need the repository, i.e. an editable install (``-e .``).
"""
from __future__ import annotations

import argparse
import sys

import exercises

from .commands import COMMANDS, errors
from .commands.base import ARGPARSE_TEXTS, EXIT_CODES, ChineseHelpFormatter, use_chinese_argparse


def build_parser() -> argparse.ArgumentParser:
    """The ``course`` parser with every command's sub-parser, every text in Chinese."""
    use_chinese_argparse()
    parser = argparse.ArgumentParser(
        prog="course", description="“四个突出”轮训课程：生成在线课程和讲义，运行测试，统计成绩，出测试卷。",
        formatter_class=ChineseHelpFormatter, epilog=EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"%(prog)s {exercises.__version__}",
                        help="显示版本号并退出")
    subparsers = parser.add_subparsers(title="命令", dest="command", metavar="命令", required=True,
                                       help="下列之一；“course 命令 --help”显示该命令的说明")
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code; a user error ends as one Chinese line on stderr."""
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra and not getattr(args, "passthrough", False):
            parser.error(ARGPARSE_TEXTS["unrecognized arguments: %s"] % " ".join(extra))
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else errors.FAILED
    args.extra = extra
    try:
        return args.run(args)
    except (Exception, KeyboardInterrupt) as exc:
        return errors.report(exc, args)


if __name__ == "__main__":
    sys.exit(main())
