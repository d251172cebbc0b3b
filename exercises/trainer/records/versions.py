"""The question versions the records have seen: each answer's version, and each version's full question.

Versions the package ships (``questions.versions``) are copied into the records when an answer on them is
imported, so the records can grade it whatever a later package ships. An answer whose version is neither in
the records nor in the package fits no known version (题目已变).
"""
from __future__ import annotations

import json

from sqlalchemy import insert, select

from ...questions.model import Question
from ...questions.versions import known_versions, question_data, question_from
from .schema import answer_versions, question_versions


def keep_versions(connection, rows: list[dict]) -> None:
    """Store the version of each answer row that has one, and every shipped version not yet in the records."""
    given = [r for r in rows if r.get("version")]
    if not given:
        return
    connection.execute(insert(answer_versions), [
        {k: r[k] for k in ("submission_id", "kind", "attempt", "question_id", "version")} for r in given])
    keep_questions(connection, {r["version"] for r in given})


def keep_questions(connection, versions: set[str]) -> None:
    """Store every shipped question version of ``versions`` not yet in the records."""
    stored = set(connection.execute(select(question_versions.c.version)).scalars())
    shipped = known_versions()
    new = versions - stored
    fresh = [{"version": v, "question_id": shipped[v][0].id, "release": shipped[v][1],
              "question": json.dumps(question_data(shipped[v][0]), ensure_ascii=False)} for v in sorted(new) if v in shipped]
    if fresh:
        connection.execute(insert(question_versions), fresh)


def seen_versions(connection) -> dict[str, Question]:
    """Every question version the records hold, with the package's shipped versions: version -> question."""
    versions = {v: q for v, (q, _) in known_versions().items()}
    for row in connection.execute(select(question_versions.c.version, question_versions.c.question)):
        versions.setdefault(row.version, question_from(json.loads(row.question)))
    return versions


def version_rows(scores) -> tuple[str, list[list], list[list]]:
    """For the report and workbook of ``scores`` (``scoring.BatchScores``): a sentence on the question versions
    answered, rows (编号, 答案数, 与现行题目相比) of answers graded on an earlier version, and rows (文件, 题号) of
    answers on a version nobody knows (题目已变)."""
    from ...questions.changes import describe

    earlier = [[question_id, count, "；".join(describe(scores.data.versions[version],
                                                      scores.by_question[question_id].question)) or "判分内容相同"]
               for (question_id, version), count in sorted(scores.earlier.items())]
    changed = [[source, "、".join(ids)] for source, ids in sorted(scores.changed.items())]
    answers, apart = sum(scores.earlier.values()), sum(len(ids) for ids in scores.changed.values())
    questions = len({question_id for question_id, _ in scores.earlier})
    if not answers and not apart:
        return "每个答案按学员作答时的题目版本判分；所有答案所答的都是现行题目。", earlier, changed
    sentence = (f"每个答案按学员作答时的题目版本判分：{answers} 个答案按学员作答时的早先题目版本评分"
                f"（{questions} 道题在学员作答后改过，见下表）；{apart} 个答案所答的题目版本本工具不认识，记为“题目已变”，"
                "不计入得分、完成度和得分率，既不算答错也不算未答。")
    return sentence, earlier, changed
