"""``course serve``: serve the built book and collect learners' hand-ins into a batch's records on the LAN."""
from __future__ import annotations

import asyncio
import getpass
import math
import socket
import sys
from pathlib import Path

from .base import INTERRUPTED, OK, ROOT, CommandError, add_command
from .records import add_db_option

DEFAULT_BOOK = ROOT / "_build" / "html"
DEFAULT_HOST, DEFAULT_PORT = "0.0.0.0", 8000
MAX_RATE = 10_000

DESCRIPTION = f"""课堂收卷：在局域网上提供在线课程，学员在练习页末尾点「交给培训师」交卷，培训师在收卷页实时查看。
答案记入期次的轮训记录（与 course records 同一个数据库：默认 SQLite 文件 {{db}}，
可用 --db 或环境变量 {{env}} 指定，或用 postgresql:// 地址让几台电脑共用）。

第一次使用：
  course records batch 2026年第1期
  course records roster 2026年第1期 花名册.xlsx
  course records slips 2026年第1期     打印个人码条：学员凭学号和个人码交卷
  course serve --set-password          设定培训师密码（只存散列值）
  course serve 2026年第1期             默认监听 {DEFAULT_HOST}:{DEFAULT_PORT}，打印地址、期次码和二维码
培训师在浏览器打开 地址/trainer 登录，查看交卷情况，打开投影页。"""


def add_parser(subparsers) -> None:
    from ..trainer.records.location import DEFAULT_PATH, ENV_DB

    parser = add_command(subparsers, "serve", "课堂收卷：局域网上提供在线课程，学员交卷，培训师实时查看（course serve --help）",
                         DESCRIPTION.format(db=DEFAULT_PATH, env=ENV_DB))
    parser.add_argument("batch", nargs="?", metavar="期次", help="收卷的期次（须已用 course records 建立并导入花名册）")
    add_db_option(parser)
    parser.add_argument("--host", default=DEFAULT_HOST, metavar="地址",
                        help=f"监听的地址（默认 {DEFAULT_HOST}，即本机所有网卡；只在本机用：127.0.0.1）")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="端口", help=f"监听的端口（默认 {DEFAULT_PORT}）")
    parser.add_argument("--book", type=Path, default=DEFAULT_BOOK, metavar="文件夹",
                        help="已生成的在线课程（默认为仓库的 _build/html，由 course book 生成）")
    parser.add_argument("--url", metavar="网址", help="学员打开的网址（默认按本机局域网地址和端口推算；在反向代理后面时填写）")
    parser.add_argument("--code-hours", type=float, default=8.0, metavar="小时", help="新期次码的有效时长（默认 8 小时）")
    parser.add_argument("--new-code", action="store_true", help="生成新的期次码（默认沿用本期次仍有效的期次码）")
    parser.add_argument("--rate", type=float, default=30.0, metavar="次数",
                        help=f"每位学员每分钟最多交卷次数（默认 30；0 表示不限；0 到 {MAX_RATE}）。同一地址（如整个培训室经 NAT "
                             "共用一个地址）按 200 位学员计；输错期次码或个人码另有限额；限额按进程计")
    parser.add_argument("--behind-proxy", action="store_true",
                        help="在反向代理后面运行：按 X-Forwarded-For 识别学员地址（不在代理后面时不要用）")
    parser.add_argument("--set-password", action="store_true",
                        help="设定培训师密码（从终端输入两次，或从标准输入读一行）后退出")
    parser.set_defaults(run=run)


def lan_address() -> str:
    """This machine's address on the LAN (no packet is sent), else 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("培训师密码（至少 8 个字符）：")
        if getpass.getpass("再输入一次：") != first:
            raise CommandError("两次输入的密码不一致，未作改动。")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _check_batch(records, batch: str) -> None:
    from sqlalchemy import and_, func, select

    from ..trainer.records.schema import batches, learners

    if batch not in records.batch_codes():
        raise CommandError(f"没有期次「{batch}」：请先用 course records batch {batch} 建立，并导入花名册。")
    with records.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(learners).join(batches).where(
            and_(batches.c.code == batch, learners.c.on_roster == 1))).scalar()
    if not count:
        raise CommandError(f"期次「{batch}」还没有花名册：交卷时要按花名册核对学号，请先用 course records roster 导入。")


def run(args) -> int:
    from ..trainer.records.store import Records
    from ..trainer.serve.tables import ensure

    records = Records(args.db)
    try:
        ensure(records.engine)
        _serve(args, records)
    except KeyboardInterrupt:
        print("已停止收卷。", file=sys.stderr)  # how the server is stopped
        return INTERRUPTED
    finally:
        records.close()
    return OK


def _serve(args, records) -> None:
    from tornado.ioloop import PeriodicCallback

    from ..trainer.serve import auth, codes, handin, qr
    from ..trainer.serve.app import make_server
    from ..trainer.serve.context import Context, Limits
    from ..trainer.serve.directory import REFRESH, Directory
    from ..trainer.serve.handin_process import HandinProcess

    engine = records.engine
    if args.set_password:
        auth.set_password(engine, _read_password())
        print("培训师密码已设定（数据库中只存散列值），原有的登录已全部失效。")
        return
    if not args.batch:
        raise CommandError("请写明收卷的期次，例如 course serve 2026年第1期。")
    if not (math.isfinite(args.rate) and 0 <= args.rate <= MAX_RATE):
        raise CommandError(f"--rate 应为 0 到 {MAX_RATE} 之间的数（每位学员每分钟最多交卷次数，0 表示不限）。")
    if not 0 < args.port < 65536:
        raise CommandError("端口应为 1 到 65535 之间的整数。")
    if not (math.isfinite(args.code_hours) and 0 < args.code_hours <= 24 * 30):
        raise CommandError("期次码的有效时长应为 0 到 720 小时。")
    _check_batch(records, args.batch)
    if not (args.book / "index.html").is_file():
        raise CommandError(f"找不到已生成的在线课程（{args.book}）：请先运行 course book，或用 --book 指定文件夹。")
    if not auth.has_password(engine):
        if not sys.stdin.isatty():
            raise CommandError("还没有培训师密码：请先运行 course serve --set-password。")
        auth.set_password(engine, _read_password())
    active = [] if args.new_code else codes.active_for(engine, args.batch)
    code = active[0] if active else codes.issue(engine, args.batch, args.code_hours)
    host = lan_address() if args.host in ("0.0.0.0", "::", "") else args.host
    address = args.url or f"http://{host}:{args.port}/"
    directory = Directory(engine, args.batch)
    directory.load()
    handin.warm_up()
    handins = HandinProcess(engine.url.render_as_string(hide_password=False), args.batch)
    context = Context(records, args.batch, address, args.book.resolve(), directory, handins, Limits(args.rate))

    async def serve() -> None:
        server = make_server(context, args.behind_proxy)
        try:
            server.listen(args.port, args.host)
        except OSError as exc:
            raise CommandError(f"无法在 {args.host}:{args.port} 上监听（{exc.strerror or exc}）："
                               "端口可能已被占用，换一个端口试试。") from None
        try:
            await handins.start()
        except (OSError, RuntimeError):
            raise CommandError("收卷进程无法启动：请检查课程的安装（pip install -e '.[trainer]'）后再试。") from None
        try:
            await collect()
        finally:
            await handins.close()

    async def collect() -> None:
        loop = asyncio.get_running_loop()
        PeriodicCallback(lambda: loop.run_in_executor(context.desk, directory.refresh), REFRESH * 1000).start()
        print(qr.terminal(address))
        print(f"学员打开：{address}\n期次码：{code.code}（期次「{args.batch}」，有效至 {code.expires}）\n"
              f"花名册 {directory.size} 人，每人凭学号和个人码交卷（个人码条：course records slips {args.batch}）\n"
              f"培训师收卷页：{address.rstrip('/')}/trainer（投影页：{address.rstrip('/')}/trainer/project）\n"
              "按 Ctrl+C 停止。", flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())
