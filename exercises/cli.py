"""The course's command line, ``course <命令>``, with Chinese help and documented exit codes.

The top layer of the package: each command imports the module it runs only when it runs. Commands that
work on the course itself (book, test, pdf, bench) need the repository, i.e. an editable install (``-e .``).
"""
from __future__ import annotations

import argparse
import re
import runpy
import subprocess
import sys
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


def _use_chinese_argparse() -> None:
    """argparse looks its texts up through module-level gettext functions; answer them in Chinese."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the help's line breaks and ends section headings with a full-width colon."""

    def format_help(self) -> str:
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.M)


class CommandError(Exception):
    """A user error the command line reports as one Chinese line and exit code 1."""


def _module_errors() -> tuple[type[Exception], ...]:
    """The user-error classes of the modules the commands run, imported only once something went wrong."""
    from .questions.bank import BankError
    from .text.charts import FontMissing
    from .trainer.print.handouts import HandoutError
    from .trainer.print.latex import LatexError

    return BankError, FontMissing, HandoutError, LatexError


def _one_line(text: str) -> str:
    return "；".join(line.strip() for line in str(text).splitlines() if line.strip())


def _os_error(exc: OSError) -> str:
    from .safeio import clean_text, describe_os_error

    where = f"：{clean_text(str(exc.filename))}" if exc.filename else ""
    return f"无法读写文件（{describe_os_error(exc)}）{where}"


def _repository() -> Path:
    if not (ROOT / "_toc.yml").is_file():
        raise CommandError(f"这条命令要在课程仓库中运行（以 pip install -e 安装本课程），{ROOT} 不是课程仓库。")
    return ROOT


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数，现在是“{text}”") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，现在是 {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，现在是“{text}”") from None


# ---- commands ------------------------------------------------------------------------------------
def run_book(args, extra) -> int:
    repo = _repository()
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run([str(jupyter_book), "build", str(repo), "-n", "-W", "--keep-going"], cwd=repo)
    if done.returncode != 0:
        raise CommandError("在线课程生成失败：原因见上面 Sphinx 的输出（任何警告都算失败）。")
    print(f"在线课程已生成：用浏览器打开 {repo / '_build' / 'html' / 'index.html'}")
    return OK


def run_test(args, extra) -> int:
    repo = _repository()
    import importlib.util

    if importlib.util.find_spec("pytest") is None:
        raise CommandError("没有安装测试工具：请运行 ./course test（它按 requirements-dev.txt 安装）。")
    here = Path.cwd()  # test paths typed relative to where the command runs
    extra = [str(here / a) if not a.startswith("-") and (here / a.split("::")[0]).exists() else a for a in extra]
    return subprocess.run([sys.executable, "-m", "pytest", *extra], cwd=repo).returncode


def run_pdf(args, extra) -> int:
    _repository()
    from .trainer.print import handouts

    return handouts.main([args.out_dir] if args.out_dir else [])


def run_report(args, extra) -> int:
    from .trainer.records import report

    return report.main([args.results_dir, *([args.out_dir] if args.out_dir else [])])


def run_paper(args, extra) -> int:
    from .trainer.print import paper

    argv = ["--seed", str(args.seed), "--count", str(args.count)]
    argv += [args.out_dir] if args.out_dir else []
    argv += ["--no-pdf"] if args.no_pdf else []
    return paper.main(argv)


def run_records(args, extra) -> int:
    from .trainer.records import cli as records_cli

    return records_cli.main([*(["grade"] if args.command == "grade" else []), *extra])


def run_serve(args, extra) -> int:
    from .trainer.serve import cli as serve_cli

    return serve_cli.main(extra)


def run_bench(args, extra) -> int:
    script = _repository() / "benchmarks" / "run.py"
    argv = ["--runs", str(args.runs), *(["--worktree"] if args.worktree else []),
            *(["--only", *args.only] if args.only else [])]
    return runpy.run_path(str(script), run_name="benchmarks")["main"](argv)


# ---- parser --------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The ``course`` parser and its subcommands, every text in Chinese."""
    _use_chinese_argparse()
    common = {"formatter_class": ChineseHelpFormatter, "epilog": EXIT_CODES}
    parser = argparse.ArgumentParser(
        prog="course", description="“四个突出”轮训课程：生成在线课程和讲义，运行测试，统计成绩，出测试卷。", **common)
    parser.add_argument("--version", action="version", version=f"%(prog)s {exercises.__version__}",
                        help="显示版本号并退出")
    commands = parser.add_subparsers(title="命令", dest="command", metavar="命令", required=True,
                                     help="下列之一；“course 命令 --help”显示该命令的说明")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=description, **common)

    book = command("book", "生成在线课程（_build/html）",
                   "生成在线课程到仓库的 _build/html：每章笔记本都会执行，Sphinx 的任何警告都让构建失败。")
    book.set_defaults(run=run_book)

    test = command("test", "运行测试（其余参数交给 pytest）",
                   "在仓库中运行 pytest；其余参数原样交给 pytest，如 course test -m \"not slow\" -x。\n"
                   "测试分层：browser（Chromium）、tex（xelatex）、binder（JupyterLab）、slow（整本书构建），"
                   "其余为快速层。")
    test.set_defaults(run=run_test, passthrough=True)

    pdf = command("pdf", "生成打印讲义（学员版和教师版）",
                  "用 Jupyter Book 的 LaTeX 输出和 xelatex 生成学员版、教师版讲义：全书一份，每章一份。")
    pdf.add_argument("out_dir", nargs="?", metavar="输出文件夹", help="默认为仓库的 _build/handouts")
    pdf.set_defaults(run=run_pdf)

    report = command("report", "由成绩文件生成成绩报告",
                     "逐层读取文件夹中的成绩文件（.json，任意大小写，也读 .zip 压缩包），按现行题库重新判分，"
                     "写出 report.html、成绩.xlsx、questions.csv 和 learners.csv；未用的文件都在报告中列出原因。\n"
                     "同一学员的多个文件逐题合并（每题以最晚的答案为准）；没有学号的文件按姓名合并。\n"
                     "要长期保存一期的记录、导入花名册或生成结业证书，请用 course records。")
    report.add_argument("results_dir", metavar="成绩文件夹", help="学员交来的成绩文件所在的文件夹，或收到的 .zip 压缩包")
    report.add_argument("out_dir", nargs="?", metavar="输出文件夹", help="默认为 ./cohort-report")
    report.set_defaults(run=run_report)

    paper = command("paper", "按种子出一份测试卷及教师版",
                    "按种子从全部题库抽题，各“突出”均衡，选项顺序打乱；同一种子和题数总得到同一份试卷。")
    paper.add_argument("--seed", type=_integer, required=True, metavar="种子", help="整数；同一种子得到同一份试卷")
    paper.add_argument("--count", type=_positive, required=True, metavar="题数", help="试卷的题数")
    paper.add_argument("out_dir", nargs="?", metavar="输出文件夹", help="默认为 ./paper-seed种子")
    paper.add_argument("--no-pdf", action="store_true", help="只写 Markdown 和 LaTeX 源文件，不生成 PDF")
    paper.set_defaults(run=run_paper)

    for name, summary in (("records", "轮训记录：期次、花名册、成绩文件、学时、报告、证书（course records --help）"),
                          ("grade", "读入纸质试卷的答题录入表：course grade 期次 答题录入表.xlsx")):
        records = commands.add_parser(name, help=summary, add_help=False)  # its own --help lists the details
        records.set_defaults(run=run_records, passthrough=True)

    serve = commands.add_parser("serve", help="课堂收卷：局域网上提供在线课程，学员交卷，培训师实时查看（course serve --help）",
                                add_help=False)  # its own --help lists the details
    serve.set_defaults(run=run_serve, passthrough=True)

    bench = command("bench", "基准测试（结果写入 benchmarks/RESULTS.md）",
                    "把仓库复制到临时目录，新建虚拟环境（需要联网），测量构建、启动、判分、页面大小（含浏览器实际传输的字节）、Binder 应用打开时间、PDF 和环境大小。")
    bench.add_argument("--runs", type=_positive, default=3, metavar="次数", help="每项计时的次数，取中位数（默认 3）")
    bench.add_argument("--worktree", action="store_true", help="测量工作树（已跟踪和新建的文件），而不是最后一次提交")
    bench.add_argument("--only", nargs="+", metavar="项目",
                       help="只测这几项：env build startup grading weight binder pdf 中的若干项")
    bench.set_defaults(run=run_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; user errors end as one Chinese line on stderr and a non-zero exit code."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        parser.error(ARGPARSE_TEXTS["unrecognized arguments: %s"] % " ".join(extra))
    try:
        return args.run(args, extra)
    except CommandError as exc:
        print(_one_line(exc), file=sys.stderr)
    except OSError as exc:
        print(_os_error(exc), file=sys.stderr)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return INTERRUPTED
    except Exception as exc:
        if not isinstance(exc, _module_errors()):
            raise  # a defect, not a user error: keep its traceback
        print(_one_line(exc), file=sys.stderr)
    return FAILED

if __name__ == "__main__":
    sys.exit(main())
