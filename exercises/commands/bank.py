"""``course bank``: the question bank's released versions — what changed between two, and (maintainers) a new
release of the current banks."""
from __future__ import annotations

from .base import OK, CommandError, add_command, repository

CURRENT = "现行"


def add_parser(subparsers) -> None:
    parser = add_command(
        subparsers, "bank", "题库版本：列出发布版本、比较两个版本，或把现行题库登记为新版本",
        "学员的成绩文件记下每道题作答时的题目版本；培训师的工具按学员见到的版本判分。\n"
        "“course bank diff 0.1.0 0.2.0”列出两个发布版本之间的改动（“现行”表示当前题库）。")
    commands = parser.add_subparsers(title="命令", dest="bank_command", metavar="命令", required=True,
                                     help="下列之一；“course bank 命令 --help”显示该命令的说明")
    listing = add_command(commands, "list", "列出本课程发布过的题库版本")
    listing.set_defaults(run=run_list)
    diff = add_command(commands, "diff", "列出两个题库版本之间的改动（新增、删去、改动的题目）")
    diff.add_argument("before", metavar="版本A", help="较早的版本，如 0.1.0")
    diff.add_argument("after", metavar="版本B", nargs="?", default=CURRENT, help=f"较晚的版本，默认为“{CURRENT}”（当前题库）")
    diff.set_defaults(run=run_diff)
    release = add_command(commands, "release", "（维护者）把现行题库登记为新的发布版本，并改写课程版本号",
                          "题库有任何改动后运行一次：写出 exercises/releases/版本号.json，改写 exercises/__init__.py "
                          "和 pyproject.toml 中的版本号。要在课程仓库中运行。")
    release.add_argument("version", metavar="版本号", help="新版本号，如 0.3.0，须大于已发布的最新版本")
    release.add_argument("note", metavar="说明", nargs="?", default="", help="这一版题库改了什么")
    release.set_defaults(run=run_release)


def _release(version: str):
    from ..questions.bank import load_all
    from ..questions.versions import Release, release, releases

    if version == CURRENT:
        return Release(CURRENT, "", tuple(q for bank in load_all() for q in bank.questions))
    found = release(version)
    if found is None:
        known = "、".join(r.version for r in releases())
        raise CommandError(f"没有题库版本 {version}（已发布的版本：{known}）。")
    return found


def run_list(args) -> int:
    from ..questions.versions import releases

    for r in releases():
        print(f"{r.version}：{len(r.questions)} 题。{r.note}")
    return OK


def run_diff(args) -> int:
    from ..questions.changes import diff_lines

    print("\n".join(diff_lines(_release(args.before), _release(args.after))))
    return OK


def run_release(args) -> int:
    from ..questions.versions import add_release

    repository()
    try:
        written = add_release(args.version, args.note)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"已登记题库 {args.version} 版，并把课程版本号改为 {args.version}：" + "、".join(str(p) for p in written))
    return OK
