"""「交给培训师」in a notebook: the server address, 期次码 and 个人码 (remembered beside the progress file) and a
button that sends the learner's results document to the classroom server, the outcome shown as one line."""
from __future__ import annotations

from html import escape

import ipywidgets as w

from ..questions.progress import ProgressStore
from ..questions.results import clean_name
from ..safeio import describe_os_error
from .handin_client import BAD_ADDRESS, EXAMPLE, hand_in, handin_url
from .handin_memory import memory_path, recall, remember

INTRO = ("<p><strong>交给培训师</strong>：培训师在课堂上开启收卷时，填写投影页上的服务器地址和期次码、个人码条上的个人码，"
         "把本机保存的全部答案交给培训师。这三项只需填一次，本机记住（不写入成绩文件）；再次交会合并，不会覆盖已交的答案。</p>")
NEED = {"server": f"请填写服务器地址（培训师投影页上的地址，如 {EXAMPLE}）。",
        "code": "请填写期次码（培训师投影页上的 6 位字母和数字）。",
        "number": "请先在上面的“学号”一栏填写学号，再交。",
        "pin": "请填写个人码（个人码条上的 6 位字母和数字）。"}
EMPTY = "本机还没有保存任何答案：先作答，再交。"
SENDING = "正在发送……"
NOT_REMEMBERED = "（服务器地址、期次码和个人码未能记住：{reason}，下次需要重新填写。）"


def _has_answers(document: dict) -> bool:
    attempts = (document.get("assessment") or {}).get("attempts") or []
    return bool(document.get("answers")) or bool(attempts)


class HandinPanel(w.VBox):
    """Fields for the server address, 期次码 and 个人码, and a 交给培训师 button; the 学号 is the results panel's."""

    def __init__(self, store: ProgressStore, learner_id: w.Text):
        self.store = store
        self.learner_id = learner_id
        self.memory = memory_path(store.path)
        remembered = recall(self.memory)
        wide = {"description_width": "initial"}
        self.server = w.Text(value=remembered.get("server", ""), description="服务器地址", placeholder=EXAMPLE,
                             style=wide)
        self.code = w.Text(value=remembered.get("code", ""), description="期次码", placeholder="见培训师投影页",
                           style=wide)
        self.pin = w.Text(value=remembered.get("pin", ""), description="个人码", placeholder="见个人码条", style=wide)
        self.send_button = w.Button(description="交给培训师", tooltip="把本机保存的全部答案交给培训师", icon="paper-plane")
        self.status = w.HTML(value="")
        self.send_button.on_click(lambda _: self.send())
        super().__init__([w.HTML(INTRO), self.server, w.HBox([self.code, self.pin]), self.send_button, self.status])

    def _say(self, line: str) -> None:
        self.status.value = f"<p>{escape(line)}</p>"

    def send(self) -> bool:
        """Hand in what the store holds; True when the server stored it."""
        typed = {"server": self.server.value.strip(), "code": self.code.value.strip(),
                 "number": clean_name(self.learner_id.value), "pin": self.pin.value.strip()}
        missing = next((k for k in ("server", "code", "number", "pin") if not typed[k]), None)
        if missing:
            self._say(NEED[missing])
            return False
        if handin_url(typed["server"]) is None:
            self._say(BAD_ADDRESS)
            return False
        self.store.save()  # the file as it stands, with what other notebooks saved since
        document = self.store.data
        if not _has_answers(document):
            self._say(EMPTY)
            return False
        note = ""
        try:
            remember(self.memory, typed)
        except OSError as exc:
            note = NOT_REMEMBERED.format(reason=describe_os_error(exc))
        self.send_button.disabled = True
        self._say(SENDING)
        try:
            outcome = hand_in(typed["server"], typed["code"], typed["number"], typed["pin"], document)
        finally:
            self.send_button.disabled = False
        self._say(outcome.line + note)
        return outcome.stored
