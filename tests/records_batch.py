"""A generated rotation batch as a district trainer receives it, with what the records must make of it.

Per-unit files in subfolders, early and late copies, forwarded identical copies, same names with and
without 学号, full-width and spaced variants, broken files, a zip archive (with an escaping member and
a nested archive), ``.JSON`` and ``.json.txt`` names, a 综合测评 section, and files that must not be merged.
"""
from __future__ import annotations

import csv
import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "平"]
UNITS = ["秦淮区委组织部", "夫子庙街道", "中华门街道", "双塘街道", "区人社局"]
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Batch:
    root: Path
    roster: Path
    numbers: list[str]  # the roster's 学号, each must be counted once
    names: dict[str, str]
    answers: set = field(default_factory=set)  # (number, kind, attempt, question id, response JSON, time) to be kept
    latest: dict = field(default_factory=dict)  # (number, question id) -> response of the latest practice answer
    unused: dict = field(default_factory=dict)  # source -> what the records must say (a word of the reason)
    missing_unit: dict = field(default_factory=dict)  # number -> unit (pillar) never submitted
    ambiguous_name: str = ""


def _questions():
    return {b.pillar: list(b.questions) for b in load_all()}


def _wrong(q, rng):
    if q.type == "single":
        return rng.choice([k for k in "ABCDEF"[: len(q.options)] if k != q.answer])
    if q.type == "multiple":
        return [q.answer[0]] if len(q.answer) > 1 else [k for k in "ABCDEF"[: len(q.options)] if k not in q.answer][:1]
    if q.type == "truefalse":
        return not q.answer
    if q.type == "fill":
        return ["不知道"] * len(q.blanks)
    if q.type == "order":
        return list(reversed(q.items))
    if q.type == "match":
        rights = [r for _, r in q.pairs]
        return {l: rights[(i + 1) % len(rights)] for i, (l, _) in enumerate(q.pairs)}
    return "加强学习，提高认识"


def _response(q, rng):
    return correct_response(q) if rng.random() < 0.65 else _wrong(q, rng)


def _time(day: int, minute: int) -> str:
    return f"2026-11-{day:02d}T{9 + minute // 60:02d}:{minute % 60:02d}:00+08:00"


def _doc(name, number, answers, updated, assessment=None) -> dict:
    doc = {"format": "sige-course-results", "version": 1, "course_version": "0.1.0", "learner": name,
           "updated": updated, "answers": answers}
    if number is not None:
        doc["learner_id"] = number
    if assessment:
        doc["assessment"] = {"attempts": assessment}
    return doc


def make_batch(root: Path, learners: int = 24, seed: int = 7) -> Batch:
    """Write the batch's files under ``root/收集`` and the roster ``root/花名册.csv``; return the expectations."""
    rng = random.Random(seed)
    pool = _questions()
    folder = root / "收集"
    folder.mkdir(parents=True)
    numbers = [f"2026{i:03d}" for i in range(1, learners + 1)]
    names = {n: rng.choice(SURNAMES) + rng.choice(GIVEN) for n in numbers}
    twins = numbers[:2]
    for n in twins:
        names[n] = "张伟"
    taken = {names[n] for n in numbers[2:]} | {"张伟"}
    for n in numbers[2:]:  # other names unique so a file without 学号 can be matched by name
        while list(names.values()).count(names[n]) > 1:
            names[n] = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        taken.add(names[n])
    batch = Batch(root, root / "花名册.csv", numbers, names, ambiguous_name="张伟")
    with batch.roster.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["学号", "姓名", "单位", "期次", "第1单元学时", "第2单元学时"])
        for i, n in enumerate(numbers):
            writer.writerow([n, names[n], UNITS[i % len(UNITS)], "2026年第1期", 3, 3 if i % 5 else ""])
    archive_members: list[tuple[str, bytes]] = []

    def emit(rel: str, doc_or_bytes, used: bool = True, number: str | None = None, kind_answers=()):
        data = doc_or_bytes if isinstance(doc_or_bytes, bytes) else json.dumps(doc_or_bytes, ensure_ascii=False).encode()
        if rel.startswith("zip:"):
            archive_members.append((rel[4:], data))
            source = f"收集/成绩汇总.zip!{rel[4:]}"
        else:
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            source = f"收集/{rel}"
        if used and number:
            for item in kind_answers:
                batch.answers.add((number, *item))
        return source

    for index, n in enumerate(numbers):
        name = names[n]
        shown_number = n
        shown_name = name
        if index % 7 == 3:
            shown_number = n.translate(WIDE)  # typed on a phone keyboard in full width
        if index % 7 == 4:
            shown_number = n[:4] + " " + n[4:]
        if index % 7 == 5 and len(name) == 2:
            shown_name = name[0] + " " + name[1]
        skip_unit = 4 if index % 6 == 5 else None
        if skip_unit:
            batch.missing_unit[n] = skip_unit
        for unit, questions in sorted(pool.items()):
            if unit == skip_unit:
                continue
            chosen = [q for q in questions if rng.random() < 0.85]
            answers, items = {}, []
            for k, q in enumerate(chosen):
                response = _response(q, rng)
                time = _time(10 + unit, k)
                answers[q.id] = {"answer": response, "verdict": "correct", "score": 99, "points": 99, "time": time}
                items.append(("practice", "", q.id, json.dumps(response, ensure_ascii=False, sort_keys=True), time))
                batch.latest[(n, q.id)] = json.dumps(response, ensure_ascii=False, sort_keys=True)
            doc = _doc(shown_name, shown_number if index != 6 or unit != 2 else None, answers, _time(10 + unit, 59))
            if index % 9 == 8:
                rel = f"zip:第{unit}单元/成绩-{name}-{n}.json"
            elif index % 11 == 10:
                rel = f"第{unit}单元/成绩-{name}-{n}.JSON"
            elif index % 13 == 12:
                rel = f"第{unit}单元/成绩-{name}-{n}.json.txt"
            else:
                rel = f"第{unit}单元/成绩-{name}-{n}.json"
            emit(rel, doc, number=n, kind_answers=items)
            if index % 5 == 0 and unit == 1:  # forwarded again by a group leader: the very same bytes
                batch.unused[emit(f"转发/{name}的成绩.json", doc, used=False)] = "内容完全相同"
        if index % 4 == 1:  # an early copy of unit 1 exported before the learner changed answers
            q = pool[1][0]
            early = _wrong(q, rng)
            doc = _doc(shown_name, shown_number, {q.id: {"answer": early, "time": _time(9, 0)}}, _time(9, 1))
            emit(f"早期/成绩-{name}.json", doc, number=n,
                 kind_answers=[("practice", "", q.id, json.dumps(early, ensure_ascii=False, sort_keys=True), _time(9, 0))])
        if index % 8 == 2:  # a late re-export with a changed answer: the latest wins
            q = pool[2][1]
            late = correct_response(q)
            doc = _doc(shown_name, shown_number, {q.id: {"answer": late, "time": _time(28, 0)}}, _time(28, 1))
            emit(f"补交/成绩-{name}-{n}-补.json", doc, number=n,
                 kind_answers=[("practice", "", q.id, json.dumps(late, ensure_ascii=False, sort_keys=True), _time(28, 0))])
            batch.latest[(n, q.id)] = json.dumps(late, ensure_ascii=False, sort_keys=True)
        if index % 10 == 0:  # a 综合测评 attempt: kept apart from practice
            q = pool[3][0]
            response = _wrong(q, rng)
            attempt = [{"id": "attempt-1", "paper": "seed-20241", "started": _time(30, 0), "submitted": _time(30, 0),
                        "answers": {q.id: {"answer": response, "verdict": "incorrect", "score": 0, "points": q.points,
                                           "time": _time(30, 0)}}}]  # the page's shape (results.schema.json)
            doc = _doc(shown_name, shown_number, {}, _time(30, 1), attempt)
            emit(f"测评/测评-{name}.json", doc, number=n,
                 kind_answers=[("assessment", "seed-20241/attempt-1", q.id, json.dumps(response, ensure_ascii=False, sort_keys=True), _time(30, 0))])
    q = pool[1][0]
    one = {q.id: {"answer": correct_response(q), "time": _time(20, 0)}}
    batch.unused[emit("其他/成绩-张伟.json", _doc("张伟", None, one, _time(20, 0)), used=False)] = "无法确定是哪一位"
    batch.unused[emit("其他/成绩-外人.json", _doc("外来人员", "2099001", one, _time(20, 1)), used=False)] = "不在本期次的花名册"
    batch.unused[emit("其他/成绩-冒名.json", _doc("冒名者", numbers[3], one, _time(20, 2)), used=False)] = "不一致"
    batch.unused[emit("其他/无名.json", _doc("", "", one, _time(20, 3)), used=False)] = "既没有学号也没有姓名"
    batch.unused[emit("坏文件/截断.json", b'{"format": "sige-course-results", "version": 1, "answers": {', used=False)] = "JSON 格式错误"
    batch.unused[emit("坏文件/空.json", b"", used=False)] = "文件为空"
    batch.unused[emit("坏文件/别的.json", b'{"hello": 1}', used=False)] = "不是本课程的成绩文件"
    batch.unused[emit("坏文件/乱码.json", b"\xff\xfe\x00garbage", used=False)] = "UTF-8"
    batch.unused[emit("坏文件/说明.txt", b"readme", used=False)] = "不是成绩文件"
    batch.unused[emit("zip:../逃逸.json", b"{}", used=False)] = "包外"
    nested = _zip_bytes([("a.json", b"{}")])
    batch.unused[emit("zip:内层.zip", nested, used=False)] = "压缩包中的压缩包"
    with zipfile.ZipFile(folder / "成绩汇总.zip", "w") as archive:
        for name, data in archive_members:
            info = zipfile.ZipInfo(name)
            archive.writestr(info, data)
    (folder / "损坏.zip").write_bytes(b"PK\x03\x04 not really a zip")
    batch.unused["收集/损坏.zip"] = "压缩包已损坏"
    return batch


def _zip_bytes(members) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()
