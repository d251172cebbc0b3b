"""What changed between two versions of a question, and between two bank releases, in Chinese.

Used by ``course bank diff`` and by the trainer's report (which questions learners answered on an earlier
version, and how that version differs from today's).
"""
from __future__ import annotations

from .model import Question
from .types import type_of
from .versions import Release, fingerprint

SLOTS = (("stem", "题干"), ("options", "选项"), ("blanks", "可接受的答案"), ("items", "排序项"), ("pairs", "配对"),
         ("keypoints", "要点"), ("explanation", "解析"), ("source", "原文依据"), ("measure", "所属举措"))


def _key(value) -> str:
    if isinstance(value, bool):
        return "对" if value else "错"
    if isinstance(value, (list, tuple)):
        return "".join(map(str, value))
    return str(value)


def describe(old: Question, new: Question) -> list[str]:
    """The changes from ``old`` to ``new``, each a short Chinese phrase (empty when nothing differs)."""
    changes = []
    before, after = type_of(old), type_of(new)
    retyped = before is not after
    if retyped:
        changes.append(f"题型：{before.label} → {after.label}")
    if old.points != new.points:
        changes.append(f"分值：{old.points:g} → {new.points:g} 分")
    for slot, name in SLOTS:
        was, now = getattr(old, slot), getattr(new, slot)
        if was == now or retyped and slot not in ("stem", "explanation", "source", "measure"):
            continue
        if slot == "options" and sorted(was) == sorted(now):
            changes.append("选项顺序调整")
        else:
            changes.append(f"{name}改动")
    if old.answer != new.answer and not retyped:  # keys of choices and 判断 are short; texts are not
        short = bool(old.options) or isinstance(old.answer, bool)
        changes.append(f"答案：{_key(old.answer)} → {_key(new.answer)}" if short else "参考答案改动")
    return changes


def diff_lines(before: Release, after: Release) -> list[str]:
    """What changed from release ``before`` to ``after``, as lines for a reader."""
    old, new = before.by_id, after.by_id
    added = [i for i in new if i not in old]
    removed = [i for i in old if i not in new]
    changed = [(i, describe(old[i], new[i])) for i in old if i in new and old[i] != new[i]]
    graded = sum(fingerprint(old[i]) != fingerprint(new[i]) for i, _ in changed)
    lines = [f"题库 {before.version} 版 → {after.version} 版：{before.version} 版 {len(old)} 题，{after.version} 版 {len(new)} 题；"
             f"新增 {len(added)} 题，删去 {len(removed)} 题，改动 {len(changed)} 题（其中 {graded} 题的判分随之改变）。"]
    if added:
        lines.append("新增：" + "、".join(added))
    if removed:
        lines.append("删去：" + "、".join(removed))
    if changed:
        lines.append("改动：")
        lines += [f"  {i}：{'；'.join(what)}" for i, what in changed]
    return lines
