"""The learner name/number fields and the results-file export, driven through the widgets' API."""
from __future__ import annotations

import base64
import json
import re

from exercises.questions.grading import correct_response
from exercises.questions.progress import ProgressStore
from exercises.questions.results import FORMAT, VERSION, export_name, safe_filename
from exercises.renderers.results_panel import ResultsPanel
from exercises.renderers.widget import ChapterQuiz
from exercises.trainer.records.report import make_report


def test_safe_file_names():
    assert export_name("张三", "1024") == "成绩-张三-1024.json"
    assert export_name("") == "成绩-未署名.json"
    assert export_name("../../etc/passwd") == "成绩-etc_passwd.json"
    assert safe_filename('<img src=x onerror="a">') == "img_src_x_onerror_a"
    assert safe_filename("Ｌｉ　Ｍｉｎｇ\x00\n") == "Li_Ming"
    assert safe_filename("...") == "" and len(safe_filename("长" * 500)) == 40


def test_name_is_saved_and_export_is_read_by_the_report(tmp_path, banks):
    store = ProgressStore(tmp_path / "progress.json")
    quiz = ChapterQuiz(banks[0].questions, "1", store=store)
    panel = quiz.results
    assert isinstance(panel, ResultsPanel) and panel in quiz.children
    assert (panel.name.description, panel.learner_id.description, panel.export_button.description) == ("姓名", "学号", "导出成绩文件")
    item = next(i for i in quiz.items if i.question.type == "single")
    item.set_response(correct_response(item.question))
    item.submit_button.click()
    panel.name.value = "  张三 \n"
    panel.learner_id.value = "1024"
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert saved["learner"] == "张三" and saved["learner_id"] == "1024"

    panel.export_dir = tmp_path / "export"
    panel.export_button.click()
    exported = tmp_path / "export" / "成绩-张三-1024.json"
    data = json.loads(exported.read_text("utf-8"))
    assert data["format"] == FORMAT and data["version"] == VERSION and data["learner"] == "张三"
    assert set(data) >= {"course_version", "updated", "answers"}
    link = re.search(r'download="([^"]+)" href="data:application/json;base64,([^"]+)"', panel.status.value)
    assert link.group(1) == "成绩-张三-1024.json"
    assert json.loads(base64.b64decode(link.group(2))) == data
    assert "已导出" in panel.status.value

    report = make_report(tmp_path / "export", tmp_path / "report")
    assert [(l.record.name, l.record.number) for l in report.scores.learners] == [("张三", "1024")]
    assert set(report.scores.learners[0].grades) == set(data["answers"]) and report.scores.data.notes == []


def test_hostile_name_stays_in_the_export_folder_and_is_escaped(tmp_path, banks):
    store = ProgressStore(tmp_path / "progress.json")
    panel = ResultsPanel(store, export_dir=tmp_path / "export")
    panel.name.value = "../../<script>alert(1)</script>"
    path = panel.export()
    assert path.parent == tmp_path / "export" and path.name == "成绩-script_alert_1_script.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".progress.json.lock", "export", "progress.json"]
    assert "<script>" not in panel.status.value
    assert json.loads(path.read_text("utf-8"))["learner"] == "../../<script>alert(1)</script>"


def test_export_needs_a_name_and_survives_an_unwritable_folder(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    panel = ResultsPanel(store, export_dir=blocker / "export")
    assert panel.export() is None and "请先填写姓名" in panel.status.value
    panel.name.value = "李四"
    assert panel.export() is None
    assert "无法写入文件（路径中有一段不是文件夹）" in panel.status.value and 'download="成绩-李四.json"' in panel.status.value


def test_export_is_written_in_one_step(tmp_path, banks):
    """An export that fails part-way (here the file-size limit) keeps the previous copy whole, leaves no
    temporary file, and says why in Chinese."""
    import resource
    import signal

    store = ProgressStore(tmp_path / "progress.json")
    panel = ResultsPanel(store, export_dir=tmp_path / "export")
    panel.name.value = "王五"
    first = panel.export()
    before = first.read_bytes()
    from exercises.questions.grading import grade

    for q in (q for b in banks for q in b.questions):  # the next export is many times larger
        store.record(grade(q, correct_response(q)))
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 1000, hard))
    try:
        assert panel.export() is None
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert "无法写入文件（文件过大）" in panel.status.value
    assert first.read_bytes() == before
    assert [p.name for p in (tmp_path / "export").iterdir()] == [first.name]


def test_two_notebooks_sharing_the_file_keep_each_others_answers(tmp_path, banks):
    from exercises.questions.grading import grade

    first, second = banks[0].questions[0], banks[0].questions[1]
    chapter_one = ProgressStore(tmp_path / "progress.json")
    chapter_two = ProgressStore(tmp_path / "progress.json")  # opened before chapter one saved anything
    chapter_one.record(grade(first, correct_response(first)))
    chapter_two.record(grade(second, correct_response(second)))
    chapter_one.set_learner("王五", "7")
    chapter_two.forget([second.id])
    chapter_two.record(grade(second, correct_response(second)))
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert set(saved["answers"]) == {first.id, second.id}
    assert (saved["learner"], saved["learner_id"]) == ("王五", "7")
    chapter_one.forget([first.id])
    assert set(ProgressStore(tmp_path / "progress.json").data["answers"]) == {second.id}
    assert set(chapter_one.data["answers"]) == {second.id}
