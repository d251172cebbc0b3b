"""``course report 成绩文件夹 [输出文件夹]``: a folder (or zip archive) of results files to the batch report in one step.

The folder is imported into a temporary SQLite records database (``records.store.Records``: folders read
recursively, ``.json`` in any case and zip archives, identical copies counted once, every file not used
listed with its reason), scored from the records (``records.scoring``) and written as the records'
outputs: ``report.html``, ``成绩.xlsx``, ``questions.csv`` and ``learners.csv``, each atomically. Without a
roster a learner is their 学号; files without 学号 are merged by name, and the report says so. A rotation
kept over time (roster, 学时, certificates, two 期次 compared) uses ``course records``.

Run by ``course report`` (``exercises/commands/report.py``).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...safeio import clean_text
from .identity import display_text
from .scoring import BatchScores, score_batch
from .store import NAME_KEY, Records
from .summary import write_html
from .tables import write_tables
from .workbook import write_workbook


class ReportError(ValueError):
    """The report cannot be made; the message is one Chinese line."""


@dataclass
class Report:
    scores: BatchScores
    written: list[Path]
    by_name: int  # learners known only by their name (no 学号)


def _notices(source: str, by_name: int, pass_mark: float) -> list[str]:
    notices = [f"成绩文件夹：{source}。本报告由 course report 一次读入生成，记录只在生成时临时使用；"
               f"及格线按默认的 {pass_mark:g}% 计；要长期保存一期的记录、导入花名册、设定及格线、登记学时或生成成绩单和结业证书，"
               "请用 course records。"]
    if by_name:
        notices.append(f"有 {by_name} 名学员的成绩文件没有学号，已按姓名把同一姓名的文件合为一人（学号一栏显示为"
                       f"“{NAME_KEY}姓名”）；同名的不同学员会被合为一人，请让学员填写学号，或用 course records 导入花名册。")
    return notices


def make_report(results_dir: Path, out_dir: Path) -> Report:
    """Import ``results_dir`` into a temporary records database and write the report's files into ``out_dir``."""
    results_dir, out_dir = Path(results_dir), Path(out_dir)
    source = clean_text(results_dir.resolve().name or str(results_dir))  # a folder or a .zip archive
    code = display_text(source, 100) or "成绩文件夹"
    with tempfile.TemporaryDirectory(prefix="sige-report-") as tmp:
        records = Records(str(Path(tmp) / "records.sqlite"))
        try:
            records.create_batch(code)
            records.import_files(code, [results_dir], require_results=False, by_name=True)
            scores = score_batch(records.batch_data(code))
        finally:
            records.close()
    if not scores.learners:
        notes = scores.data.notes
        example = f"，例如 {notes[0].source}：{notes[0].reason.rstrip('。')}" if notes else ""
        raise ReportError(f"{source} 中没有可以计入的学员成绩（{len(notes)} 个文件未能使用{example}），未生成报告。")
    by_name = sum(l.record.number.startswith(NAME_KEY) for l in scores.learners)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [write_html(scores, out_dir / "report.html", _notices(source, by_name, scores.data.pass_mark), kept=False),
               write_workbook(scores, out_dir / "成绩.xlsx"), *write_tables(scores, out_dir)]
    return Report(scores, written, by_name)
