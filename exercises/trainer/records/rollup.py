"""The batch rolled up by 单位: on the roster, handed in, 参学率, mean 得分率 and pass rate of each unit."""
from __future__ import annotations

from dataclasses import dataclass

NO_UNIT = "（未填单位）"


@dataclass(frozen=True)
class UnitRow:
    unit: str
    roster: int  # learners on the roster (or, without one, every learner)
    handed_in: int
    passed: int
    mean: float | None  # mean 得分率 (%) of those who handed in

    @property
    def participation(self) -> float | None:
        """参学率: handed in ÷ on the roster."""
        return self.handed_in / self.roster if self.roster else None

    @property
    def pass_rate(self) -> float | None:
        """及格人数 ÷ 花名册人数."""
        return self.passed / self.roster if self.roster else None


def by_unit(scores, rules) -> list[UnitRow]:
    """One row per 单位 (sorted by name), then one for the whole batch."""
    people = [l for l in scores.learners if l.record.on_roster] or scores.learners
    groups: dict[str, list] = {}
    for learner in people:
        groups.setdefault(learner.record.unit or NO_UNIT, []).append(learner)

    def row(unit: str, members: list) -> UnitRow:
        handed = [l for l in members if rules.handed_in(l)]
        mean = sum(rules.percent(l) for l in handed) / len(handed) if handed else None
        return UnitRow(unit, len(members), len(handed), sum(rules.passed(l) for l in members), mean)

    return [*(row(u, m) for u, m in sorted(groups.items())), row("合计", people)]
