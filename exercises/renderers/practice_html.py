"""The static pages of the phone-first modes (逐题练习, 挑战答题, 错题本与学习记录) for static/practice.js.

Each page is a skeleton with every fixed text, hidden until the page script shows it, and one JSON block:
the questions (``pagescript.question_payload`` plus what a card shows), the texts with placeholders, the
challenge rule and, on the challenge page, the seeded rounds (``questions.challenge.draw``) as the changes
each makes to its questions' payloads (order of choices, key). Without scripts the page says what it needs.
"""
from __future__ import annotations

from html import escape

from ..questions.bank import load_all
from ..questions.challenge import RULE, draw, eligible
from ..questions.model import BLANK, Question
from ..questions.presentation import measure_label, shown_label
from ..questions.results import MAX_ROUNDS, RETRY_NEED, WRONG
from ..text.article import load_article
from ..text.numbers import all_chapters, chinese_number
from .pagescript import data_script, page_settings, question_payload

MODES = ("practice", "challenge", "wrongbook")
ROUNDS = 30  # seeded rounds shipped with the challenge page (seeds 1 … ROUNDS); each round starts at random
BLANK_SHOWN = "＿＿＿＿"
WARN_AT = (10, 5)  # seconds left at which the challenge countdown is announced
TEXTS = {
    "choose": "（请选择）",
    "next": "下一题",
    "unanswered_text": "（未作答）",
    "show_key": "查看答案、解析和原文依据",
    "retry_finish": "完成重练",
    "noscript": "本页的练习需要浏览器运行 JavaScript。也可以在各章页面上逐题作答，或展开参考答案自查。",
    "position": "第 {n} / {total} 题",
    "card_head": "{label}　{points} 分　{measure}",
    "empty_filter": "所选范围内没有可以在网页上作答的题目，请换一个范围。",
    "all_done": "本范围的题目已全部做完，可以从第 1 题重新开始，或换一个范围。",
    "timer": "剩余 {seconds} 秒",
    "timer_warning": "还剩 {seconds} 秒",
    "time_up": "时间到，本题不得分。",
    "round_status": "第 {n} / {total} 题　本轮得分 {points}　连对 {streak}",
    "round_seed": "本轮是第 {seed} 组题目（培训师可据此重现本轮题目）。",
    "round_result": "本轮得分 {points} 分：答对 {right} / {total} 题，用时 {seconds} 秒。",
    "earned": "本题得 {points} 分",
    "your_answer": "你的答案：",
    "finish": "查看本轮结果",
    "wrong_count": "错题本中有 {count} 道题。",
    "wrong_empty": "错题本是空的：答错的题会自动收进来。",
    "wrong_meta": "{source}　最近一次：{verdict}（{time}）　重练已答对 {right} / {need} 次",
    "retry_status": "还剩 {left} 道题，每道题需要再答对 {need} 次。",
    "retry_done": "重练完成：错题本中的题都已答对两次。",
    "retry_left": "本题已答对 {right} / {need} 次，稍后再出现。",
    "retry_cleared": "本题已答对 {need} 次，移出错题本。",
    "points_total": "累计积分 {points} 分，已完成挑战 {rounds} 轮。",
    "answered_total": "共作答 {attempts} 次，其中答对 {right} 次（正确率 {percent}%）。",
    "no_record": "还没有作答记录。",
    "round_row": "{kind}",
    "percent": "{percent}%",
}
SOURCES = {"answers": "章节练习或逐题练习", "assessment": "综合测评", "challenge": "挑战答题", "retry": "错题重练"}


def card_payload(q: Question) -> dict:
    """A question's page-script payload with what its card shows (stem, type, measure)."""
    return {**question_payload(q), "stem": BLANK.sub(BLANK_SHOWN, q.stem), "label": shown_label(q),
            "measure": q.measure or "", "measure_label": measure_label(q)}


def _changes(base: dict, drawn: dict) -> dict:
    """The keys of a drawn question's payload that differ from the bank's (with its id); its version stays the
    bank question's (a round only reorders the choices)."""
    return {"id": drawn["id"], **{k: v for k, v in drawn.items() if base.get(k) != v and k != "question_version"}}


def rounds_data(questions: dict[str, dict], count: int = ROUNDS) -> list[dict]:
    """Rounds 1 … ``count``: each its seed and its questions as changes to the bank's payloads."""
    return [{"seed": seed, "questions": [_changes(questions[q.id], card_payload(q)) for q in draw(seed)]}
            for seed in range(1, count + 1)]


def page_data(mode: str) -> dict:
    """Everything the page script needs for ``mode``."""
    questions = {q.id: card_payload(q) for bank in load_all() for q in bank.questions if eligible(q)}
    article = load_article()
    data = {
        "mode": mode, "settings": page_settings(), "texts": TEXTS, "sources": SOURCES, "retry_need": RETRY_NEED,
        "wrong": list(WRONG), "max_rounds": MAX_ROUNDS, "warn_at": list(WARN_AT),
        "rule": RULE.to_json(), "questions": list(questions.values()),
        "pillars": [{"number": p.number, "title": p.title,
                     "measures": [{"id": m.id, "label": f"举措 {m.id}\u3000{m.name}"} for m in p.measures]}
                    for p in article.pillars],
    }
    if mode == "challenge":
        data["rounds"] = rounds_data(questions)
    return data


def _button(css_class: str, text: str, kind: str = "button", hidden: bool = False) -> str:
    return f'<button type="{kind}" class="{css_class}"{" hidden" if hidden else ""}>{escape(text)}</button>'


def _card(prefix: str, submit: str) -> str:
    """One question per screen: heading, stem, the form's controls (drawn by the script), feedback."""
    return (
        f'<section class="sige-card" aria-labelledby="{prefix}-head" hidden>'
        f'<h2 class="sige-card-head" id="{prefix}-head" tabindex="-1"></h2>'
        '<p class="sige-card-meta"></p><p class="sige-card-stem"></p>'
        f'<form class="sige-card-form"><div class="sige-card-controls"></div>'
        f'<p class="sige-card-actions">{_button("sige-card-submit", submit, "submit")}'
        f'{_button("sige-card-next", "下一题", hidden=True)}</p></form>'
        '<div class="sige-card-feedback" role="status" aria-live="polite"></div></section>'
    )


def _progress(prefix: str) -> str:
    return (f'<div class="sige-bar"><progress class="sige-bar-meter" max="1" value="0" aria-hidden="true"></progress>'
            f'<p class="sige-bar-text" id="{prefix}-position" aria-live="polite"></p></div>')


def _practice_html() -> str:
    pillars = load_article().pillars
    chapters = "".join(f'<option value="{p.number}">第{chinese_number(p.number)}章　{escape(p.title)}</option>'
                       for p in pillars)
    measures = "".join(f'<option value="{escape(m.id)}">举措 {escape(m.id)}　{escape(m.name)}</option>'
                       for p in pillars for m in p.measures)
    return (
        '<div class="sige-filters">'
        f'<div class="sige-field"><label for="sige-pr-chapter">章</label><select id="sige-pr-chapter" class="sige-filter-chapter">'
        f'<option value="">{all_chapters(len(pillars))}</option>{chapters}</select></div>'
        f'<div class="sige-field"><label for="sige-pr-measure">举措</label><select id="sige-pr-measure" class="sige-filter-measure">'
        f'<option value="">全部举措</option>{measures}</select></div></div>'
        f'{_progress("sige-pr")}<p class="sige-mode-note" role="status"></p>{_card("sige-pr", "提交")}'
        f'<p class="sige-mode-actions">{_button("sige-restart", "从第 1 题重新开始")}</p>'
    )


def _challenge_html() -> str:
    return (
        f'<div class="sige-c-start"><p class="sige-rule-text">{escape(RULE.text())}</p>'
        f'<p class="sige-mode-actions">{_button("sige-c-begin sige-primary", "开始挑战")}</p></div>'
        '<div class="sige-c-play" hidden>'
        f'{_progress("sige-ch")}<p class="sige-c-seed"></p>'
        '<div class="sige-timer"><progress class="sige-timer-meter" max="1" value="1" aria-hidden="true"></progress>'
        '<p class="sige-timer-text" role="timer" aria-atomic="true"></p>'
        '<p class="sige-timer-alert visually-hidden" aria-live="assertive"></p></div>'
        f'{_card("sige-ch", "提交")}</div>'
        '<div class="sige-c-result" hidden><h2 class="sige-c-result-head" tabindex="-1">本轮结果</h2>'
        '<p class="sige-c-summary"></p><ol class="sige-review"></ol>'
        f'<p class="sige-mode-actions">{_button("sige-c-again sige-primary", "再来一轮")}</p></div>'
    )


def _wrongbook_html() -> str:
    return (
        '<section class="sige-wb" aria-labelledby="sige-wb-head"><h2 id="sige-wb-head" tabindex="-1">错题本</h2>'
        '<p class="sige-wb-count" role="status"></p>'
        f'<p class="sige-mode-actions">{_button("sige-wb-retry sige-primary", "重练")}</p>'
        '<ol class="sige-wb-list"></ol></section>'
        '<section class="sige-wb-retry-area" aria-labelledby="sige-wb-head-retry" hidden>'
        '<h2 id="sige-wb-head-retry">重练错题</h2>'
        f'{_progress("sige-wb-retry")}{_card("sige-wb-retry", "提交")}'
        f'<p class="sige-mode-actions">{_button("sige-wb-stop", "结束重练")}</p></section>'
        '<section class="sige-record" aria-labelledby="sige-record-head"><h2 id="sige-record-head">积分与学习记录</h2>'
        '<p class="sige-record-points"></p><p class="sige-record-answers"></p>'
        '<table class="sige-record-pillars"><caption>各部分正确率</caption><thead><tr><th scope="col">部分</th>'
        '<th scope="col">答对 / 作答</th><th scope="col">正确率</th></tr></thead><tbody></tbody></table>'
        '<table class="sige-record-measures"><caption>各项举措正确率</caption><thead><tr><th scope="col">举措</th>'
        '<th scope="col">答对 / 作答</th><th scope="col">正确率</th></tr></thead><tbody></tbody></table>'
        '<table class="sige-record-rounds"><caption>最近的挑战</caption><thead><tr><th scope="col">时间</th>'
        '<th scope="col">题组</th><th scope="col">答对</th><th scope="col">得分</th></tr></thead><tbody></tbody></table>'
        '</section>'
    )


BODIES = {"practice": _practice_html, "challenge": _challenge_html, "wrongbook": _wrongbook_html}
EXPORT = (f'<div class="sige-export-row"><p class="sige-mode-actions">{_button("sige-export", "导出成绩文件")}</p>'
          '<p class="sige-notice" role="alert"></p></div>')


def mode_html(mode: str) -> str:
    """The page of one mode: a message without scripts, the hidden skeleton and its data."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    return (f'<div class="sige-practice" data-mode="{mode}">{data_script(page_data(mode), "sige-practice-data")}'
            f'<p class="sige-noscript">{escape(TEXTS["noscript"])}</p>'
            f'<div class="sige-practice-app" hidden>{BODIES[mode]()}{EXPORT}</div></div>')
