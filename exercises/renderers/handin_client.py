"""Hand in from a notebook: the learner's results document sent to the classroom server (`course serve`) with
the standard library, every outcome one Chinese line.

The request is the server's hand-in: ``POST <address>/api/collect/handin`` with the JSON
``{"code": 期次码, "number": 学号, "pin": 个人码, "document": 成绩文件}``. Only http and https addresses are used;
no proxy (the server is on the classroom network), no redirect followed, a timeout on the whole exchange, and
at most ``MAX_REPLY`` bytes of the reply read. The learner sees the server's receipt or its own ``error`` line;
an unreachable server, a timeout, a bad address or an odd reply each get a line of their own.
"""
from __future__ import annotations

import http.client
import json
import re
import ssl
import time
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from ..safeio import SafeReadError, clean_text, decode_text, parse_json

HANDIN_PATH = "/api/collect/handin"
TIMEOUT = 15.0  # seconds for the whole exchange
MAX_REPLY = 64_000  # bytes of a reply read; a receipt takes a few hundred
MAX_BODY = 1_000_000  # the server's cap on one hand-in (the classroom server's ``handin.MAX_BODY``)
MAX_LINE = 300  # characters of the server's error line shown
_BARE = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?(/.*)?")  # 192.168.1.20:8000/ typed without http://

EXAMPLE = "http://192.168.1.20:8000/"
BAD_ADDRESS = f"服务器地址不对：请填写培训师投影的地址，例如 {EXAMPLE}。"
UNREACHABLE = ("无法连接培训师的电脑（{host}）：请核对服务器地址，确认本机与培训师的电脑在同一网络后再试。"
               "答案仍保存在本机，不会丢失。")
TOO_SLOW = (f"培训师的电脑在 {TIMEOUT:.0f} 秒内没有回复完：请稍后再交一次（再次交会合并，不会重复记入）。"
            "答案仍保存在本机，不会丢失。")
DROPPED = ("连接在培训师的电脑回复前中断，不能确认是否已交上：请稍后再交一次（再次交会合并，不会重复记入）。"
           "答案仍保存在本机，不会丢失。")
INSECURE = "无法与培训师的电脑建立安全连接（证书不被信任）：请核对地址，课堂服务器的地址一般以 http:// 开头。"
ODD_REPLY = "培训师的电脑回复的内容无法识别，不能确认是否已交上：请核对服务器地址后再交一次（再次交会合并，不会重复记入）。"
NO_SERVICE = "该地址没有课堂收卷服务（状态码 {status}）：请核对培训师投影的地址。"
TOO_BIG = f"本机的成绩记录超过交卷上限（{MAX_BODY // 1000} KB），无法交：请导出成绩文件交给培训师。"
FAILED = "未能交上：{reason}"
STORED = ("已交给培训师（学号 {number}），本次新记入 {new} 条答案。培训师处现有你的练习答案 {practice} 题、"
          "综合测评 {assessment} 次（{time}）。")
REPEATED = "这些答案培训师处已经有了，无需重复交：练习答案 {practice} 题、综合测评 {assessment} 次（{time}）。"


@dataclass(frozen=True)
class Outcome:
    """Whether the server stored the hand-in, and the line to show."""

    stored: bool
    line: str


def handin_url(address: str) -> str | None:
    """The hand-in address on the server named by ``address`` (as projected, full-width punctuation and a
    missing ``http://`` forgiven), or None when it is not an http or https address."""
    text = unicodedata.normalize("NFKC", address).replace("。", ".").strip()
    if "://" not in text and _BARE.fullmatch(text):
        text = "http://" + text
    if not text.isascii() or any(ch.isspace() or not ch.isprintable() for ch in text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme.lower()}://{host}{f':{port}' if port else ''}{HANDIN_PATH}"


def _opener() -> urllib.request.OpenerDirector:
    """Plain http and https: no proxy, no redirect, no error handler (every status comes back as a reply)."""
    opener = urllib.request.OpenerDirector()
    opener.add_handler(urllib.request.HTTPHandler())
    opener.add_handler(urllib.request.HTTPSHandler(context=ssl.create_default_context()))
    return opener


def _read_capped(response: http.client.HTTPResponse, deadline: float) -> bytes | None:
    """The reply's body, or None when it is longer than ``MAX_REPLY``; TimeoutError past ``deadline``."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_REPLY:
        return None
    data = b""
    while len(data) <= MAX_REPLY:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(MAX_REPLY + 1 - len(data))
        if not chunk:
            return data
        data += chunk
    return None


def _reply(data: bytes | None):
    try:
        return parse_json(decode_text(data)) if data is not None else None
    except SafeReadError:
        return None


def _clock(text: str) -> str:
    """The server's time of the receipt as local date and time."""
    try:
        return datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return clean_text(text)[:40]


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _receipt_line(reply) -> str | None:
    """The receipt as a line, or None when the reply is not one."""
    if not isinstance(reply, dict) or not all(_count(reply.get(k)) for k in ("new_answers", "practice", "assessment")):
        return None
    if not isinstance(reply.get("number"), str) or not isinstance(reply.get("time"), str):
        return None
    template = REPEATED if reply.get("repeated") is True else STORED
    return template.format(number=clean_text(reply["number"])[:60], new=reply["new_answers"],
                           practice=reply["practice"], assessment=reply["assessment"], time=_clock(reply["time"]))


def _error_line(status: int, reply) -> str:
    """The server's own line for a refusal, or a line naming the status when it gave none."""
    error = reply.get("error") if isinstance(reply, dict) else None
    reason = " ".join(clean_text(error).split())[:MAX_LINE] if isinstance(error, str) else ""
    return FAILED.format(reason=reason) if reason else NO_SERVICE.format(status=status)


def _outcome(status: int, data: bytes | None) -> Outcome:
    reply = _reply(data)
    if status == 200:
        line = _receipt_line(reply)
        return Outcome(True, line) if line else Outcome(False, ODD_REPLY)
    return Outcome(False, _error_line(status, reply))


def hand_in(address: str, code: str, number: str, pin: str, document: dict, timeout: float = TIMEOUT) -> Outcome:
    """Send ``document`` as the learner ``number`` (proved by ``pin``) to the server at ``address``."""
    url = handin_url(address)
    if url is None:
        return Outcome(False, BAD_ADDRESS)
    body = json.dumps({"code": code, "number": number, "pin": pin, "document": document},
                      ensure_ascii=False).encode("utf-8")
    if len(body) > MAX_BODY:
        return Outcome(False, TOO_BIG)
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "Accept": "application/json"})
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            return _outcome(response.status, _read_capped(response, deadline))
    except TimeoutError:
        return Outcome(False, TOO_SLOW)
    except urllib.error.URLError as exc:  # no connection, or the request not sent
        if isinstance(exc.reason, TimeoutError):
            return Outcome(False, TOO_SLOW)
        if isinstance(exc.reason, ssl.SSLError):
            return Outcome(False, INSECURE)
        return Outcome(False, UNREACHABLE.format(host=urlsplit(url).netloc))
    except ssl.SSLError:
        return Outcome(False, INSECURE)
    except (OSError, http.client.HTTPException):  # connected, then cut off before a whole reply
        return Outcome(False, DROPPED)
