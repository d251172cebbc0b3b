"""The final assessment: reproducible balanced papers, and the live per-pillar report driven through widgets."""
import json

import pytest

from conftest import PILLARS
from exercises.book import assessment
from exercises.book.chapter import STATIC_ENV, LiveExercises, questions_block
from exercises.questions.grading import correct_response, grade
from exercises.text.article import load_article
from test_widgets import _answer


def _ids(paper):
    return [q.id for q in paper]


def test_same_seed_same_paper():
    assert _ids(assessment.draw_paper(7)) == _ids(assessment.draw_paper(7))
    assert _ids(assessment.draw_paper()) == _ids(assessment.draw_paper(assessment.DEFAULT_SEED))


def test_different_seeds_differ():
    papers = {tuple(_ids(assessment.draw_paper(seed))) for seed in range(20)}
    assert len(papers) == 20
    assert set(_ids(assessment.draw_paper(1))) != set(_ids(assessment.draw_paper(2)))


@pytest.mark.parametrize("seed", [0, 1, 99, assessment.DEFAULT_SEED])
def test_paper_is_balanced_over_pillars_and_types(seed, article, banks):
    paper = assessment.draw_paper(seed)
    assert len(paper) == 4 * assessment.PER_PILLAR and len(set(_ids(paper))) == len(paper)
    for pillar in article.pillars:
        assert sum(q.pillar == pillar.number for q in paper) == assessment.PER_PILLAR
    assert {q.type for q in paper} == {q.type for b in banks for q in b.questions}
    # options keep the bank's order, so answers recorded in results files mean the same as in the chapters
    bank_questions = {q.id: q for b in banks for q in b.questions}
    assert all(q == bank_questions[q.id] for q in paper)
    # shuffled across pillars, not four blocks one after the other
    assert [q.pillar for q in paper] != sorted(q.pillar for q in paper)


def test_bad_seed_or_size_gets_a_chinese_answer():
    for seed in ("abc", -1, 1.5, True, None):
        message = assessment.seed_problem(seed, assessment.PER_PILLAR)
        assert message.startswith("随机种子应为非负整数")
        with pytest.raises(ValueError, match="随机种子"):
            assessment.draw_paper(seed)
    assert "每部分题数" in assessment.seed_problem(1, 0)
    assert "每部分题数" in assessment.seed_problem(1, 999)
    assert assessment.seed_problem(1, 3) == ""


def test_intro_shows_seed_and_composition():
    paper = assessment.draw_paper(42)
    intro = assessment.paper_intro(42, paper).plain
    assert "随机种子：42" in intro and f"共 {len(paper)} 题" in intro
    for pillar in load_article().pillars:
        assert f"{pillar.title} {assessment.PER_PILLAR} 题" in intro


@pytest.fixture
def live(tmp_path, monkeypatch):
    """The paper as the live notebook shows it: the quiz from questions_block and the report listening to it."""
    monkeypatch.delenv(STATIC_ENV, raising=False)
    monkeypatch.setenv("SIGE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    paper = assessment.draw_paper(5)
    block = questions_block(paper, assessment.PREFIX, assessment.TITLE)
    assert isinstance(block, LiveExercises)
    return paper, block.quiz, assessment.AssessmentReport(block.quiz, paper)


def _wrong(q):
    """A response that is graded but earns nothing."""
    if q.type == "single":
        return next(k for k in "ABCDEF" if k != q.answer)
    if q.type == "truefalse":
        return not q.answer
    if q.type == "multiple":
        return [next(k for k in "ABCDEF" if k not in q.answer)]
    if q.type == "fill":
        return ["不对"] * len(q.blanks)
    if q.type == "order":
        return list(q.items[1:]) + [q.items[0]]
    if q.type == "match":
        rights = [r for _, r in q.pairs]
        return {left: rights[(i + 1) % len(rights)] for i, (left, _) in enumerate(q.pairs)}
    return "无关的内容"


def test_report_waits_for_answers(live):
    _, _, report = live
    assert "作答并提交后" in report.summary.value and report.chart.value == ""


def test_breakdown_after_answering_through_the_widgets(live):
    paper, quiz, report = live
    plan = {1: correct_response, 2: _wrong, 4: correct_response}  # pillar 3 left unanswered
    expected = {}
    for item in quiz.items:
        q = item.question
        if q.pillar not in plan:
            continue
        response = plan[q.pillar](q)
        _answer(item, response)
        item.submit_button.click()
        expected.setdefault(q.pillar, []).append(grade(q, response).score)
    results = {r.pillar: r for r in report.results}
    assert tuple(sorted(results)) == PILLARS
    for number, r in results.items():
        points = sum(q.points for q in paper if q.pillar == number)
        assert r.points == points and r.total == assessment.PER_PILLAR
        assert r.score == pytest.approx(sum(expected.get(number, [])))
        assert r.answered == len(expected.get(number, []))
    assert results[1].score == results[1].points and results[1].percent == 100
    assert results[2].score == 0 and results[2].answered == assessment.PER_PILLAR
    assert results[3].answered == 0 and results[3].score == 0
    score, points, answered = quiz.totals()
    assert score == pytest.approx(sum(r.score for r in results.values()))
    assert f"测评总分：{score:g} / {points:g}" in report.summary.value
    assert f"已答 {answered} / {len(paper)} 题" in report.summary.value
    for r in results.values():
        assert r.title in report.summary.value and f"{r.percent:.0f}%" in report.summary.value
    assert report.chart.value.startswith('<img src="data:image/png;base64,')
    assert 'alt="各部分得分率横向柱状图：突出政治引领' in report.chart.value

    quiz.reset_all()
    assert "作答并提交后" in report.summary.value and not any(r.answered for r in report.results)


def test_breakdown_chart_labels_every_bar():
    from exercises.text.charts import percentage_bars

    rows = [("甲", 50.0, "1 / 2 分"), ("乙", 100.0, "2 / 2 分")]
    fig = percentage_bars(rows, "测试")
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert sorted(labels) == ["1 / 2 分", "2 / 2 分"]


def test_assessment_page_runs_live_with_widgets(tmp_path, monkeypatch):
    """Run book/assessment.md as Binder does (no static mode): the paper and the report are live widgets."""
    import jupytext
    from nbclient import NotebookClient

    from conftest import ROOT

    monkeypatch.delenv(STATIC_ENV, raising=False)
    monkeypatch.setenv("SIGE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    notebook = jupytext.read(ROOT / "book" / "assessment.md")
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 2  # the quiz and the report listening to it
    texts = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert f"本试卷随机种子：{assessment.DEFAULT_SEED}" in texts


def test_the_online_paper_holds_no_key_and_the_key_file_holds_all(tmp_path):
    """The 综合测评 page (every shipped paper) has no 解析, 原文依据 or key; the key file has them all."""
    from exercises.renderers.html import KEY_FILE, exam_html
    from exercises.renderers.pagescript import question_payload

    papers = assessment.shipped_papers()
    assert len({name for name, _ in papers}) == assessment.PAPERS == len(papers)
    html = exam_html(papers, assessment.PREFIX, KEY_FILE)
    questions = {q.id: q for _, qs in papers for q in qs}
    assert "sige-key" not in html and "查看答案与解析" not in html
    shown = "".join(q.stem + "".join(getattr(q, "options", ())) for q in questions.values())
    assert not [q.id for q in questions.values() if q.explanation in html or (q.source in html and q.source not in shown)]
    assessment.write_key(tmp_path)
    key = json.loads((tmp_path / KEY_FILE).read_text(encoding="utf-8"))
    assert key == {i: json.loads(json.dumps(question_payload(q), ensure_ascii=False)) for i, q in questions.items()}
