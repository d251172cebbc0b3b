"""The learner's name and number in the results file, the export of a copy for the trainer, and the hand-in to
the classroom server (``handin_panel``)."""
from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path

import ipywidgets as w

from ..questions.progress import ProgressStore
from ..questions.results import clean_name, export_name
from ..safeio import atomic_write, describe_os_error
from .handin_panel import HandinPanel


class ResultsPanel(w.VBox):
    """Labelled 姓名 and 学号 fields saved into the results file, an 导出成绩文件 button, and 交给培训师."""

    def __init__(self, store: ProgressStore, export_dir: str | Path | None = None):
        self.store = store
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd()
        self.name = w.Text(value=clean_name(store.data.get("learner")), description="姓名",
                           placeholder="请输入姓名", continuous_update=False)
        self.learner_id = w.Text(value=clean_name(store.data.get("learner_id")), description="学号",
                                 placeholder="学号或工号（交卷必填）", continuous_update=False)
        self.export_button = w.Button(description="导出成绩文件", tooltip="生成以姓名命名的成绩文件，交给培训师",
                                      icon="download")
        self.status = w.HTML(value="")
        self.name.observe(lambda _: self.save_identity(), names="value")
        self.learner_id.observe(lambda _: self.save_identity(), names="value")
        self.export_button.on_click(lambda _: self.export())
        self.handin = HandinPanel(store, self.learner_id)
        super().__init__([w.HTML("<p><strong>成绩文件</strong>：填写姓名后可导出，交给培训师汇总。</p>"),
                          w.HBox([self.name, self.learner_id]), self.export_button, self.status, self.handin])

    def save_identity(self) -> None:
        """Keep the typed name and number in the results file."""
        self.store.set_learner(clean_name(self.name.value), clean_name(self.learner_id.value))
        self.status.value = f"<p>{escape(self.store.message)}</p>" if self.store.message else "<p>姓名已保存。</p>"

    def export(self) -> Path | None:
        """Write a copy of the results file named after the learner, and offer it as a download."""
        self.save_identity()
        if not self.store.data["learner"]:
            self.status.value = "<p>请先填写姓名，再导出成绩文件。</p>"
            return None
        filename = export_name(self.store.data["learner"], self.store.data["learner_id"])
        payload = json.dumps(self.store.data, ensure_ascii=False, indent=1).encode("utf-8")
        path = self.export_dir / filename
        link = (f'<a download="{escape(filename)}" href="data:application/json;base64,'
                f'{base64.b64encode(payload).decode("ascii")}">下载 {escape(filename)}</a>')
        try:
            self.export_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(path, payload)  # a copy the trainer receives is whole or absent, never half written
        except OSError as exc:
            self.status.value = f"<p>无法写入文件（{escape(describe_os_error(exc))}），请用下面的链接下载：{link}</p>"
            return None
        answered = len(self.store.data["answers"])
        self.status.value = (f"<p>已导出 {answered} 道题的记录，文件名 {escape(filename)}（在本笔记本所在的文件夹）。"
                             f"也可以直接{link}，交给培训师。</p>")
        return path
