"""The phone-first modes in a notebook (ipywidgets): 逐题练习, 挑战答题, 错题本与学习记录.

Each question is a :class:`~exercises.renderers.widget.QuestionWidget` (controls from the type's form);
answers go to the same results file as the chapters, the modes' own record to its ``practice_modes``
section, in the shape static/practice.js writes (README.md, 成绩文件格式).
"""
from __future__ import annotations

import asyncio
import math
import random
import time
from datetime import UTC, datetime
from html import escape

import ipywidgets as w

from ..questions.bank import load_all
from ..questions.challenge import RULE, draw, eligible, readable_answer, score
from ..questions.grading import grade
from ..questions.outcome import VERDICTS
from ..questions.progress import ProgressStore
from ..questions.results import MAX_ROUNDS, RETRY_NEED, WRONG, section, streak
from ..questions.types import type_of
from ..questions.versions import current_version
from ..text.article import load_article
from ..text.numbers import all_chapters
from .practice_html import SOURCES, TEXTS
from .widget import QuestionWidget, feedback_html


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def note_wrong(data: dict, q, answer, verdict: str, source: str, moment: str) -> None:
    """Put a wrong answer in the 错题本 (its correct re-tries start again)."""
    section(data)["wrong_book"][q.id] = {"answer": answer, "shown": readable_answer(type_of(q).form(q), answer),
                                         "verdict": verdict, "source": source, "time": moment, "right": 0}


def _notice(store: ProgressStore) -> w.HTML:
    """What the store set aside when it read the file (e.g. a bad 错题本 entry), or nothing."""
    return w.HTML(f'<p role="status">{escape(store.message)}</p>' if store.message else "")


def _questions() -> list:
    return [q for bank in load_all() for q in bank.questions if eligible(q)]


class PracticeWidget(w.VBox):
    """逐题练习: one question at a time, filtered by chapter and measure, recorded like the chapters."""

    def __init__(self, store: ProgressStore | None = None):
        self.store = store if store is not None else ProgressStore()
        self.all = _questions()
        banks = load_all()
        chapters = [(all_chapters(len(banks)), 0)] + [(f"第 {b.pillar} 章", b.pillar) for b in banks]
        self.chapter = w.Dropdown(options=chapters, value=0, description="章")
        measures = sorted({q.measure for q in self.all if q.measure})
        self.measure = w.Dropdown(options=[("全部举措", "")] + [(f"举措 {m}", m) for m in measures], value="",
                                  description="举措")
        self.position = w.HTML()
        self.holder = w.VBox()
        self.next_button = w.Button(description=TEXTS["next"], icon="arrow-right")
        self.next_button.on_click(lambda _: self.next())
        self.index = 0
        self.item: QuestionWidget | None = None
        self.chapter.observe(lambda _: self.show(0), names="value")
        self.measure.observe(lambda _: self.show(0), names="value")
        super().__init__([w.HBox([self.chapter, self.measure]), self.position, self.holder, self.next_button])
        self.show(0)

    def chosen(self) -> list:
        return [q for q in self.all if (not self.chapter.value or q.pillar == self.chapter.value)
                and (not self.measure.value or q.measure == self.measure.value)]

    def show(self, index: int) -> None:
        questions = self.chosen()
        self.index = index
        if index >= len(questions):
            self.item = None
            self.holder.children = [w.HTML(f"<p>{TEXTS['all_done'] if questions else TEXTS['empty_filter']}</p>")]
            self.position.value = ""
            return
        shown = TEXTS["position"].format(n=index + 1, total=len(questions))
        self.position.value = f"<p><strong>{escape(shown)}</strong></p>"
        self.item = QuestionWidget(questions[index], str(index + 1), on_graded=self._graded)
        self.holder.children = [self.item]

    def _graded(self, item: QuestionWidget) -> None:
        if item.grade is None:
            self.store.forget([item.question.id])
            return
        self.store.record(item.grade)
        if item.grade.verdict in WRONG:
            self.store.change(lambda data: note_wrong(data, item.question, item.grade.response,
                                                               item.grade.verdict, "answers", _now()))

    def next(self) -> None:
        self.show(self.index + 1)


class ChallengeWidget(w.VBox):
    """挑战答题: the round of ``seed`` (a new one when not given), timed, scored and recorded."""

    def __init__(self, seed: int | None = None, store: ProgressStore | None = None, clock=time.monotonic):
        self.store = store if store is not None else ProgressStore()
        self.seed = random.SystemRandom().randrange(1, 10**6) if seed is None else seed
        self.questions = draw(self.seed)
        self.clock = clock
        self.answers: list[dict] = []
        self.round_id = f"challenge-{int(time.time() * 1000):x}"
        self.status = w.HTML()
        self.timer = w.HTML()
        self.holder = w.VBox()
        self.next_button = w.Button(description=TEXTS["next"], icon="arrow-right", disabled=True)
        self.next_button.on_click(lambda _: self.ask())
        super().__init__([_notice(self.store),
                          w.HTML(f"<p>{escape(RULE.text())}</p><p>{escape(TEXTS['round_seed'].format(seed=self.seed))}</p>"),
                          self.status, self.timer, self.holder, self.next_button])
        self.store.change(self._start)
        self.item: QuestionWidget | None = None
        self.ask()

    def _start(self, data: dict) -> None:
        rounds = section(data)["rounds"]
        rounds.append({"id": self.round_id, "kind": "challenge", "seed": self.seed, "started": _now(), "finished": "",
                       "questions": [q.id for q in self.questions], "answers": [], "points": 0})
        del rounds[:-MAX_ROUNDS]

    @property
    def points(self) -> int:
        return sum(score(self.answers))

    def ask(self) -> None:
        at = len(self.answers)
        if at >= len(self.questions):
            self.finish()
            return
        self.asked = self.clock()
        self.item = QuestionWidget(self.questions[at], str(at + 1), on_graded=self._graded)
        self.status.value = (f"<p>{escape(TEXTS['round_status'].format(n=at + 1, total=len(self.questions), points=self.points, streak=self._streak()))}</p>")
        self.holder.children = [self.item]
        self.next_button.disabled = True
        self.tick()
        self._run_countdown()

    def _run_countdown(self) -> None:
        """In a kernel, tick once a second until the question is answered or its time is up."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (plain Python): the time is still checked on 提交 and by tick()
        item = self.item

        async def run():
            while self.item is item and self._open():
                await asyncio.sleep(1)
                self.tick()
        loop.create_task(run())

    def _open(self) -> bool:
        return self.item is not None and len(self.answers) < len(self.questions) and self.next_button.disabled

    def tick(self) -> None:
        """Show the time left; when it is up, grade what is entered as a late answer."""
        if not self._open():
            return
        left = max(0.0, RULE.seconds - (self.clock() - self.asked))
        self.timer.value = f'<p role="timer"><strong>{escape(TEXTS["timer"].format(seconds=math.ceil(left)))}</strong></p>'
        if left <= 0:
            self._record(self.item, grade(self.item.question, self.item.response()))

    def _streak(self) -> int:
        return streak(score(self.answers))

    def _graded(self, item: QuestionWidget) -> None:
        if item.grade is not None and item is self.item and self._open():
            self._record(item, item.grade)

    def _record(self, item: QuestionWidget, g) -> None:
        seconds = min(RULE.seconds, round(self.clock() - self.asked, 1))
        entry = {"question": g.question_id, "answer": g.response, "verdict": g.verdict, "score": g.score,
                 "seconds": seconds, "time": _now()}
        version = current_version(g.question_id)
        if version:
            entry["question_version"] = version
        self.answers.append(entry)
        entry["points"] = score(self.answers)[-1]
        item.submit_button.disabled = item.retry_button.disabled = True
        late = "" if seconds < RULE.seconds else TEXTS["time_up"]
        item.feedback.value = (f"<p><strong>{escape(late + TEXTS['earned'].format(points=entry['points']))}</strong></p>"
                               + feedback_html(item.question, g))

        def save(data):
            for r in section(data)["rounds"]:
                if isinstance(r, dict) and r.get("id") == self.round_id:
                    r["answers"] = list(self.answers)
                    r["points"] = self.points
            if g.verdict in WRONG:
                note_wrong(data, item.question, g.response, g.verdict, "challenge", entry["time"])
        self.store.change(save)
        self.next_button.description = TEXTS["next"] if len(self.answers) < len(self.questions) else TEXTS["finish"]
        self.next_button.disabled = False

    def finish(self) -> None:
        def save(data):
            part = section(data)
            for r in part["rounds"]:
                if isinstance(r, dict) and r.get("id") == self.round_id and not r.get("finished"):
                    r["finished"] = _now()
                    part["points"] += self.points
        self.store.change(save)
        right = sum(a["verdict"] == "correct" for a in self.answers)
        seconds = sum(a["seconds"] for a in self.answers)
        summary = TEXTS["round_result"].format(points=self.points, right=right, total=len(self.questions),
                                               seconds=f"{seconds:g}")
        rows = "".join(
            f"<li><p>{escape(q.stem)}</p><p>{escape(TEXTS['your_answer'])}{escape(readable_answer(type_of(q).form(q), a['answer']))}"
            f"（{escape(VERDICTS[a['verdict']])}，{escape(TEXTS['earned'].format(points=a['points']))}）</p>"
            f"<p>解析：{escape(q.explanation)}</p><blockquote>原文依据：{escape(q.source)}</blockquote></li>"
            for q, a in zip(self.questions, self.answers))
        self.holder.children = [w.HTML(f"<h3>本轮结果</h3><p>{escape(summary)}</p><ol>{rows}</ol>")]
        self.next_button.disabled = True
        self.status.value = self.timer.value = ""


class WrongBookWidget(w.VBox):
    """错题本与学习记录: the wrong answers with 解析 and 原文依据, 重练 until each is right twice, and the points."""

    def __init__(self, store: ProgressStore | None = None):
        self.store = store if store is not None else ProgressStore()
        self.by_id = {q.id: q for q in _questions()}
        self.book = w.HTML()
        self.record = w.HTML()
        self.holder = w.VBox()
        self.retry_button = w.Button(description="重练", icon="refresh")
        self.retry_button.on_click(lambda _: self.start_retry())
        self.queue: list[str] = []
        self.item: QuestionWidget | None = None
        super().__init__([_notice(self.store), w.HTML("<h3>错题本</h3>"), self.book, self.retry_button, self.holder,
                          w.HTML("<h3>积分与学习记录</h3>"), self.record])
        self.store.change(self._sync)
        self.refresh()

    def _sync(self, data: dict) -> None:
        """Wrong answers in the chapters and the assessment that the 错题本 does not have yet."""
        book = section(data)["wrong_book"]
        seen = [(qid, e, "answers") for qid, e in data.get("answers", {}).items()]
        attempts = (data.get("assessment") or {}).get("attempts") if isinstance(data.get("assessment"), dict) else None
        for attempt in attempts if isinstance(attempts, list) else []:
            answers = attempt.get("answers") if isinstance(attempt, dict) else None
            seen += [(qid, e, "assessment") for qid, e in (answers.items() if isinstance(answers, dict) else [])]
        for qid, entry, source in seen:
            if qid not in self.by_id or not isinstance(entry, dict) or entry.get("verdict") not in WRONG:
                continue
            known = book.get(qid)
            moment = str(entry.get("time", ""))
            if not isinstance(known, dict) or str(known.get("time", "")) < moment:
                note_wrong(data, self.by_id[qid], entry.get("answer"), entry["verdict"], source, moment)

    def open_ids(self) -> list[str]:
        book = section(self.store.data)["wrong_book"]
        return [qid for qid, e in sorted(book.items(), key=lambda kv: str(kv[1].get("time", "")), reverse=True)
                if qid in self.by_id and isinstance(e, dict) and e.get("right", 0) < RETRY_NEED]

    def refresh(self) -> None:
        book = section(self.store.data)["wrong_book"]
        ids = self.open_ids()
        rows = "".join(
            f"<li><p>{escape(self.by_id[qid].stem)}</p><p>{escape(SOURCES.get(book[qid].get('source'), ''))}　"
            f"{escape(TEXTS['your_answer'])}{escape(str(book[qid].get('shown', '')))}</p>"
            f"<p>解析：{escape(self.by_id[qid].explanation)}</p>"
            f"<blockquote>原文依据：{escape(self.by_id[qid].source)}</blockquote></li>" for qid in ids)
        head = TEXTS["wrong_count"].format(count=len(ids)) if ids else TEXTS["wrong_empty"]
        self.book.value = f"<p>{escape(head)}</p><ol>{rows}</ol>"
        self.retry_button.disabled = not ids
        part = section(self.store.data)
        done = [r for r in part["rounds"] if isinstance(r, dict) and r.get("kind") == "challenge" and r.get("finished")]
        rows = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{right} / {total}</td><td>{round(100 * right / total)}%</td></tr>'
                       for name, right, total in self.accuracy())
        table = (f'<table><caption>各部分正确率</caption><thead><tr><th scope="col">部分</th><th scope="col">答对 / 作答</th>'
                 f'<th scope="col">正确率</th></tr></thead><tbody>{rows}</tbody></table>' if rows else f"<p>{TEXTS['no_record']}</p>")
        self.record.value = f"<p>{escape(TEXTS['points_total'].format(points=part['points'], rounds=len(done)))}</p>{table}"

    def accuracy(self) -> list[tuple[str, int, int]]:
        """(pillar title, right, attempts) over the chapters' answers, the assessment and the challenge rounds."""
        data = self.store.data
        seen = [(qid, e) for qid, e in data.get("answers", {}).items()]
        attempts = data["assessment"].get("attempts") if isinstance(data.get("assessment"), dict) else None
        for attempt in attempts if isinstance(attempts, list) else []:
            answers = attempt.get("answers") if isinstance(attempt, dict) else None
            seen += list(answers.items()) if isinstance(answers, dict) else []
        for r in section(data)["rounds"]:
            seen += [(a.get("question"), a) for a in r.get("answers", []) if isinstance(a, dict)] if isinstance(r, dict) else []
        counts: dict[int, list[int]] = {}
        for qid, entry in seen:
            if qid in self.by_id and isinstance(entry, dict) and entry.get("verdict") in VERDICTS and entry["verdict"] != "unanswered":
                c = counts.setdefault(self.by_id[qid].pillar, [0, 0])
                c[0] += entry["verdict"] == "correct"
                c[1] += 1
        return [(p.title, *counts[p.number]) for p in load_article().pillars if p.number in counts]

    def start_retry(self) -> None:
        self.queue = self.open_ids()
        self.ask()

    def ask(self) -> None:
        if not self.queue:
            self.item = None
            self.holder.children = [w.HTML(f"<p>{escape(TEXTS['retry_done'])}</p>")]
            self.refresh()
            return
        self.item = QuestionWidget(self.by_id[self.queue[0]], "重练", on_graded=self._graded)
        status = TEXTS["retry_status"].format(left=len(self.queue), need=RETRY_NEED)
        self.holder.children = [w.HTML(f"<p>{escape(status)}</p>"), self.item]

    def _graded(self, item: QuestionWidget) -> None:
        if item.grade is None or item is not self.item:
            return
        g, qid = item.grade, item.question.id

        def save(data):
            entry = section(data)["wrong_book"].get(qid)
            if not isinstance(entry, dict):
                return
            if g.verdict == "correct":
                entry["right"] = min(RETRY_NEED, int(entry.get("right", 0) or 0) + 1)
            else:
                note_wrong(data, item.question, g.response, g.verdict, "retry", _now())
        self.store.change(save)
        self.queue.pop(0)
        if section(self.store.data)["wrong_book"].get(qid, {}).get("right", 0) < RETRY_NEED:
            self.queue.append(qid)
        self.ask()


MODES = {"practice": PracticeWidget, "challenge": ChallengeWidget, "wrongbook": WrongBookWidget}


def mode_widget(name: str) -> w.Widget:
    """The widget of mode ``name``."""
    if name not in MODES:
        raise ValueError(f"mode must be one of {tuple(MODES)}")
    return MODES[name]()
