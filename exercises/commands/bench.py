"""``course bench``: the benchmarks of benchmarks/run.py, results into benchmarks/RESULTS.md."""
from __future__ import annotations

import runpy

from .base import CommandError, add_command, positive, repository


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "bench", "基准测试（结果写入 benchmarks/RESULTS.md）",
                         "把仓库复制到临时目录，新建虚拟环境（需要联网），测量构建、启动、判分、页面大小（含浏览器实际传输的字节）、"
                         "Binder 应用打开时间、PDF 和环境大小。")
    parser.add_argument("--runs", type=positive, default=3, metavar="次数", help="每项计时的次数，取中位数（默认 3）")
    parser.add_argument("--worktree", action="store_true", help="测量工作树（已跟踪和新建的文件），而不是最后一次提交")
    parser.add_argument("--only", nargs="+", metavar="项目",
                        help="只测这几项：env build startup grading weight binder pdf 中的若干项")
    parser.set_defaults(run=run)


def run(args) -> int:
    benchmarks = runpy.run_path(str(repository() / "benchmarks" / "run.py"), run_name="benchmarks")
    unknown = [name for name in args.only or () if name not in benchmarks["SECTIONS"]]
    if unknown:
        raise CommandError(f"没有这几个测量项目：{'、'.join(unknown)}（可选：{' '.join(benchmarks['SECTIONS'])}）")
    args.only = args.only or list(benchmarks["SECTIONS"])
    return benchmarks["bench"](args)
