"""Editorial review of the course (issue 11): every claim the course makes about the article is checked
against the article's own text, and the answer keys are balanced so that no position can be guessed."""
import re
from collections import Counter

import pytest

from conftest import PILLARS, ROOT
from exercises.book import chapter, source_page
from exercises.questions.bank import load_all
from exercises.text.analysis import COUNTING_RULE, literal_count, term_counts, term_matrix

CHAPTERS = {b.pillar: f"ch{b.path.stem[1:]}" for b in load_all()}  # banks/p1-political.yml: book/ch1-political.md
PILLAR_NAMES = {"政治引领": 1, "选贤任能": 2, "人才引育": 3, "固本强基": 4}
CHINESE_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"两": 2}
AUTO_TYPES = {"single", "multiple", "truefalse", "fill", "order", "match"}
LETTERS = "ABCDEF"

#: The authoritative wording of 三个区分开来 (习近平, January 2016), which the 编者注 must quote exactly.
THREE_DISTINCTIONS = (
    "把干部在推进改革中因缺乏经验、先行先试出现的失误和错误，同明知故犯的违纪违法行为区分开来；"
    "把上级尚无明确限制的探索性试验中的失误和错误，同上级明令禁止后依然我行我素的违纪违法行为区分开来；"
    "把为推动发展的无意过失，同为谋取私利的违纪违法行为区分开来"
)

#: Parts of the article the issue found untested; each must be the source of an auto-graded question.
UNTESTED_BEFORE = [
    "把脉定向", "落细落实", "筑牢坚强保障", "善于驾驭复杂局面、解决实际问题能力强的干部",
    "贯彻落实全会关于干部队伍建设的重要部署", "凝聚改革共识、汇聚改革力量", "更加积极、开放、有效的人才举措",
    "青年学子聚秦淮", "院士健康专项行动", "获得感归属感",
]


def _prose(page: str) -> str:
    """A page's reader-facing prose: the Markdown without front matter and code cells."""
    text = (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)


def _pages() -> list[str]:
    return sorted(p.stem for p in (ROOT / "book").glob("*.md"))


def _bank_texts(banks):
    """Every course-written text in the banks, with where it is."""
    for b in banks:
        for q in b.questions:
            parts = [q.stem, q.explanation, *q.options, *q.items, *(x for p in q.pairs for x in p),
                     *(v for variants in q.blanks for v in variants), *(p for p, _ in q.keypoints)]
            if q.type == "short":
                parts.append(q.answer)
            for part in parts:
                yield q.id, part
        for d in b.discussion:
            yield d.id, d.prompt
            yield d.id, d.guide
        for t in b.terms:
            if t.editorial:
                yield t.term, t.editorial


def _nesting_errors(text: str) -> list[str]:
    """Double quotes opened inside double quotes (Chinese usage nests “…‘…’…”)."""
    depth, errors = 0, []
    for i, ch in enumerate(text):
        if ch == "“":
            depth += 1
            if depth > 1:
                errors.append(text[max(0, i - 15): i + 15])
        elif ch == "”":
            depth -= 1
    return errors


# --- charts: counts a reader can count, captions that say how -------------------------------------------------

def _chart_section(page: str) -> str:
    prose = _prose(page)
    start = prose.index("## 高频词图") if "## 高频词图" in prose else prose.index("## 四个“突出”的用词比较")
    return prose[start:prose.find("\n## ", start + 5)]


@pytest.mark.parametrize("pillar", PILLARS)
def test_chapter_chart_claims_match_literal_counts(article, pillar):
    """Every “词”出现 N 次 / “甲”“乙”各出现 N 次 in a chart note is the literal count in the paragraph."""
    paragraph = article.pillar(pillar).paragraph
    section = _chart_section(CHAPTERS[pillar])
    claims = re.findall(r"((?:“[^”]+”)+)各?(?:出现 )?(\d+) 次", section)
    assert claims, "the chart note states at least one count"
    for words, n in claims:
        for word in re.findall(r"“([^”]+)”", words):
            assert literal_count(paragraph, word) == int(n), (word, n)
    # the word the note names first is the chart's top word
    first = re.findall(r"“([^”]+)”", claims[0][0])
    top = term_counts(paragraph)
    assert {w for w, c in top if c == top[0][1]} >= set(first)


def test_article_page_chart_claims_match_literal_counts(article):
    section = _chart_section("article")
    texts = [p.paragraph for p in article.pillars]
    single = re.findall(r"“([^”]+)”(?:只出现在|主要在)(\S\S\S\S)一段（(\d+) 次）", section)
    assert len(single) == 3
    for word, name, n in single:
        counts = [literal_count(t, word) for t in texts]
        assert counts[PILLAR_NAMES[name] - 1] == int(n) == max(counts), word
    most = re.search(r"(\S\S\S\S)一段则以((?:“[^”]+”)+)最多（各 (\d+) 次）", section)
    number = PILLAR_NAMES[most.group(1)]
    counts = dict(term_counts(texts[number - 1], top=50))
    for word in re.findall(r"“([^”]+)”", most.group(2)):
        assert counts[word] == int(most.group(3)) == max(counts.values()), word
    series = re.search(r"“([^”]+)”在四段中都出现（依次为 ([\d、]+) 次）", section)
    assert [literal_count(t, series.group(1)) for t in texts] == [int(x) for x in series.group(2).split("、")]
    terms, matrix = term_matrix(texts, top=14)
    assert all(matrix[terms.index("改革")]), "改革 is said to occur in all four"


def test_every_chart_caption_states_its_counting_rule():
    captions = []
    for page in _pages():
        text = (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")
        for cell in re.findall(r"```\{code-cell\}.*?```", text, flags=re.S):
            if "keyword_chart(" in cell or "pillar_comparison(" in cell:
                caption = re.search(r":    caption: (.+)", cell)
                assert caption, page
                captions.append(caption.group(1))
    assert len(captions) == 5
    for caption in captions:
        assert "逐字出现的次数" in caption and "较长词语中的也计入" in caption, caption
    for data in [*(chapter.keyword_data(n) for n in PILLARS), source_page.comparison_data()]:
        assert COUNTING_RULE in data.html and COUNTING_RULE in data.markdown


# --- prose claims checked against the article -----------------------------------------------------------------

def _all_course_texts(banks):
    for page in _pages():
        yield page, _prose(page)
    yield from _bank_texts(banks)


def test_character_counts_in_prose_are_right(banks):
    """A claim like “有计划地”三字 must name as many characters as the quoted word has."""
    for where, text in _all_course_texts(banks):
        for word, digit in re.findall(r"“([^”]+)”([一二三四五六七八九十两])字", text):
            assert len(word) == CHINESE_DIGITS[digit], (where, word)


def test_announced_lists_have_that_many_items(banks):
    """“提出三项工作：一是……二是……三是……” announces as many items as it lists."""
    for where, text in _all_course_texts(banks):
        for digit, items in re.findall(r"([一二三四五六七八九十两])(?:件事|项工作|项做法|方面)：([^。]*)。", text):
            listed = re.findall(r"[一二三四五六七八九十]是", items)
            if listed:
                assert len(listed) == CHINESE_DIGITS[digit], (where, items)


def test_claims_about_where_a_sentence_starts(article, banks):
    sentences = article.sentences()
    for where, text in _all_course_texts(banks):
        for quote in re.findall(r"紧接着的一句以“([^”]+)”开头", text):
            assert any(s.startswith(quote) for s in sentences), (where, quote)
        for quote in re.findall(r"同一句的后半句以“([^”]+)”开头", text):
            assert any(quote in s and not s.startswith(quote) for s in sentences), (where, quote)


def test_examples_are_examples_in_the_article(article, banks):
    """The course says the article uses something “为例” only where the article itself marks it with 等."""
    for where, text in _all_course_texts(banks):
        for claim in re.findall(r"(?:文章|原文)以“?([^“”，。为]+?)”?为例", text):
            assert re.search(re.escape(claim) + "”?等", article.text), (where, claim)


def test_ch2_damaged_clause_is_the_second_half_of_its_sentence(article):
    damaged = article.damaged_sentences()[0]
    assert not damaged.startswith("推动干部在监督约束下") and "，推动干部在监督约束下" in damaged
    assert "同一句的后半句以“推动干部在监督约束下”开头" in _prose("ch2-cadres")


# --- notes, labels, quotation marks, paths ----------------------------------------------------------------------

def test_editorial_notes_are_marked_and_match_authoritative_wording(banks):
    notes = {t.term: t.editorial for b in banks for t in b.terms if t.editorial}
    assert all(n.startswith("编者注：") for n in notes.values())
    assert THREE_DISTINCTIONS in notes["三个区分开来"]
    assert "“蹲苗”" in notes["墩苗赋能"] and "“墩苗”" in notes["墩苗赋能"]


def test_no_nested_double_quotes_in_course_text(banks):
    errors = [(where, e) for where, text in _all_course_texts(banks) for e in _nesting_errors(text)]
    assert not errors, errors[:5]


def test_one_vocabulary_for_the_parts_of_a_pillar(banks):
    for where, text in _all_course_texts(banks):
        assert not re.search(r"(?<!体)总要求", text), where
        assert "五个特点" not in text, where


def test_measure_headings_use_the_structure_table_numbering(article):
    for number, page in CHAPTERS.items():
        headings = re.findall(r"^### (.+)$", _prose(page), flags=re.M)
        assert headings == [f"举措 {m.id}\u3000{m.name}" for m in article.pillar(number).measures]
        structure = chapter.structure(number).plain
        for heading in headings:
            assert heading in structure


def test_reader_pages_show_no_source_paths():
    for page in _pages():
        prose = _prose(page)
        assert not re.search(r"exercises/|\w+\.(?:py|ya?ml)\b", prose), page


def test_intro_is_honest_about_what_is_graded_and_what_is_the_article():
    intro = _prose("intro")
    assert "均自动判分" not in intro
    assert re.search(r"简答题[^。]*网页上不判分", intro)
    assert "凡是课程组补充的说明，都标注" not in intro
    assert "课程组编写" in intro and "编者注" in intro


def test_article_page_states_missing_provenance_without_inventing_it():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    values = config["parse"]["myst_substitutions"]
    prose = _prose("article")
    for key in ("source_title", "source_outlet", "source_date"):
        assert "{{ " + key + " }}" in prose
        assert values[key] == "收到的文本未载明"
    assert "整理全部由程序完成" not in prose and "人工" in prose and "程序" in prose


# --- timetables ---------------------------------------------------------------------------------------------

def _units(page: str) -> dict[str, int]:
    rows = re.findall(r"^\| (第[一二三四]单元) \| [^|]+ \| 约 (\d+) 分钟 \|$", _prose(page), flags=re.M)
    return {unit: int(minutes) for unit, minutes in rows}


def test_timetables_agree_and_fit_a_class_of_forty():
    intro, guide = _units("intro"), _units("trainer-guide")
    assert len(intro) == 4 and intro == guide
    prose = _prose("trainer-guide")
    rhythm = [int(m) for m in re.findall(r"^\| [^|]+ \| 约 (\d+) 分钟 \| ", prose, flags=re.M)]
    assert sum(rhythm) == intro["第二单元"] == intro["第三单元"]
    steps = [int(m) for m in re.findall(r"\*\*[^*]+（约 (\d+) 分钟）。\*\*", prose)]
    assert sum(steps) == rhythm[-1]
    groups, low, high = map(int, re.search(r"分成 (\d+) 组，每组 (\d+)～(\d+) 人", prose).groups())
    assert groups * low <= 40 <= groups * high
    report = float(re.search(r"每组用 ([\d.]+) 分钟汇报", prose).group(1))
    assert groups * report <= int(re.search(r"\*\*汇报（约 (\d+) 分钟）", prose).group(1))


# --- questions --------------------------------------------------------------------------------------------

def _key_texts(q) -> list[str]:
    if q.type == "single":
        return [q.option_text(q.answer)]
    if q.type == "multiple":
        return [q.option_text(k) for k in q.answer]
    if q.type == "fill":
        return [variants[0] for variants in q.blanks]
    if q.type == "order":
        return list(q.items)
    if q.type == "match":
        return [right for _, right in q.pairs]
    return []


def test_every_source_supports_the_whole_key(banks, article):
    """Recall items: the key is the article's wording. (A 情景 key applies the source to a situation; its 解析
    quotes the source instead, see test_scenarios_cite_the_sentence_they_apply.)"""
    plain = lambda s: re.sub("[“”‘’]", "", s)  # noqa: E731
    for b in banks:
        for q in b.questions:
            if q.kind == "scenario":
                continue
            heading = article.measure(q.measure).name if q.measure else None
            for key in _key_texts(q):
                assert plain(key) in plain(q.source) or key == heading, (q.id, key)


def test_single_choice_keys_are_balanced(banks):
    """Balance stated: course-wide every letter A–D keys 15–35 % of single-choice questions;
    within a bank no letter keys more than half of them."""
    keys = [q.answer for b in banks for q in b.questions if q.type == "single"]
    counts = Counter(keys)
    for letter in "ABCD":
        assert 0.15 <= counts[letter] / len(keys) <= 0.35, counts
    for b in banks:
        mine = Counter(q.answer for q in b.questions if q.type == "single")
        assert max(mine.values()) * 2 <= sum(mine.values()), (b.pillar, mine)


def test_multiple_choice_keys_are_not_guessable(banks):
    """No option position is in every key (per bank and course-wide), at most two thirds of keys contain A,
    and at least one key per bank contains the last option."""
    everything = []
    for b in banks:
        mine = [(q.answer, len(q.options)) for q in b.questions if q.type == "multiple"]
        assert mine, b.pillar
        everything += mine
        assert not set.intersection(*(set(a) for a, _ in mine)), b.pillar
        assert any(LETTERS[n - 1] in a for a, n in mine), b.pillar
    assert sum("A" in a for a, _ in everything) * 3 <= len(everything) * 2
    assert not set.intersection(*(set(a) for a, _ in everything))


def test_true_false_keys_are_mixed_in_every_bank(banks):
    for b in banks:
        assert {q.answer for q in b.questions if q.type == "truefalse"} == {True, False}, b.pillar


def test_every_measure_has_four_auto_graded_questions(banks, article):
    counts = Counter(q.measure for b in banks for q in b.questions if q.type in AUTO_TYPES)
    for m in article.measures:
        assert counts[m.id] >= 4, m.id


@pytest.mark.parametrize("phrase", UNTESTED_BEFORE)
def test_formerly_untested_parts_have_an_auto_graded_question(banks, article, phrase):
    assert phrase in article.text
    assert any(phrase in q.source for b in banks for q in b.questions if q.type in AUTO_TYPES), phrase


def test_fill_keys_read_back_into_the_article(banks, article):
    """Each blank's first answer, put back between the stem's two neighbouring characters, is article wording."""
    text = article.text.replace("“", "").replace("”", "")
    for b in banks:
        for q in b.questions:
            if q.type != "fill":
                continue
            pieces = [p.replace("“", "").replace("”", "") for p in re.split(r"_{3,}", q.stem)]
            for i, variants in enumerate(q.blanks):
                before = re.split(r"[，。、；：]", pieces[i])[-1]
                after = re.split(r"[，。、；：]", pieces[i + 1])[0]
                assert before[-2:] + variants[0] + after[:2] in text, (q.id, i)


def test_fill_blanks_accept_the_phrase_with_its_modifier(banks):
    """Where the stem keeps a modifier outside the blank, typing the modifier with the answer is accepted too."""
    from exercises.questions.grading import grade

    q = next(q for b in banks for q in b.questions if q.id == "p1-16")
    assert grade(q, ["学", "改革共识", "改革力量"]).verdict == "correct"
    assert grade(q, ["学", "共识", "力量"]).verdict == "correct"


# --- quotation marks and part labels on what the reader sees ---------------------------------------------------

def test_quoted_puts_inner_quotes_one_level_down():
    from exercises.text.quoting import quoted

    assert quoted("深化“家家到、个个谈”行动") == "“深化‘家家到、个个谈’行动”"
    assert quoted("他说“要写‘三张清单’”") == "“他说‘要写“三张清单”’”"
    assert quoted("不含引号") == "“不含引号”"


def test_key_terms_and_glossary_do_not_nest_double_quotes(banks):
    from exercises.book.glossary import glossary

    blocks = [chapter.key_terms(n) for n in CHAPTERS] + [glossary()]
    texts = [text for block in blocks for text in (block.html, block.markdown)]
    assert any("‘" in text for text in texts)  # the article's own quotes are there, one level down
    for text in texts:
        assert not _nesting_errors(text), _nesting_errors(text)[:3]


def _visible_blocks(html: str):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    for block in soup.find_all(["p", "li", "td", "th", "dd", "dt", "blockquote", "summary", "h1", "h2", "h3", "h4"]):
        yield block.get_text()


def test_built_pages_do_not_nest_double_quotes(built_book):
    pages = sorted(built_book.rglob("*.html"))
    assert len(pages) >= 8
    errors = [(page.name, e) for page in pages for text in _visible_blocks(page.read_text(encoding="utf-8"))
              for e in _nesting_errors(text)]
    assert not errors, errors[:5]


def test_part_labels_name_where_the_source_is(banks, article):
    from exercises.questions.presentation import measure_label

    labels = {q.id: measure_label(q) for b in banks for q in b.questions}
    for b in banks:
        pillar = article.pillar(b.pillar)
        for q in b.questions:
            label = labels[q.id]
            assert not re.search(r"举措 \d\.\d(?!\u3000|—)", label), label  # full-width space before the name
            if q.measure:
                assert label == f"举措 {q.measure}\u3000{article.measure(q.measure).name}"
            elif q.source in f"{pillar.title}，{pillar.aim}":
                assert label == f"{pillar.title}（目标）", q.id
            elif q.source in "".join(pillar.lead):
                assert label == f"{pillar.title}（总体要求）", q.id
            elif q.source in article.opening:
                assert label == "开篇", q.id
            elif q.source in article.author_line:
                assert label == "作者署名", q.id
            if "（总体要求）" in label:
                assert q.source in "".join(pillar.lead), q.id
    for qid in ("p1-01", "p2-01", "p3-01", "p4-01"):
        assert labels[qid].endswith("（目标）"), labels[qid]
    assert labels["p1-14"] == "开篇"
    assert labels["p1-03"] == "突出政治引领（举措 1.1—1.3）"
    assert labels["p2-02"] == "突出选贤任能（举措 2.1—2.3）"


def test_feedback_does_not_nest_double_quotes(banks):
    """What the grader says about a wrong or a right answer (the page script shows the same texts)."""
    from exercises.questions.grading import grade
    from exercises.questions.types import type_of

    errors = []
    for b in banks:
        for q in b.questions:
            kind = type_of(q)
            for response in (kind.wrong_response(q), kind.correct_response(q)):
                for detail in grade(q, response).details:
                    errors += [(q.id, e) for e in _nesting_errors(detail)]
    assert not errors, errors[:5]


# --- judgement, not only recall (issue 23) --------------------------------------------------------------------

def _auto(q) -> bool:
    return q.type in AUTO_TYPES


def test_every_measure_has_four_recall_and_two_scenario_items(banks, article):
    recall = Counter(q.measure for b in banks for q in b.questions if _auto(q) and q.kind != "scenario")
    scenario = Counter(q.measure for b in banks for q in b.questions if _auto(q) and q.kind == "scenario")
    for m in article.measures:
        assert recall[m.id] >= 4 and scenario[m.id] >= 2, (m.id, recall[m.id], scenario[m.id])
    assert sum(scenario.values()) >= 24


def test_scenarios_cite_the_sentence_they_apply_and_say_why_the_others_fall_short(banks, article):
    from exercises.questions.presentation import shown_label

    for b in banks:
        for q in b.questions:
            if q.kind != "scenario":
                continue
            measure = article.measure(q.measure)
            assert q.source in measure.heading + measure.body, q.id
            assert q.stem.startswith("情景"), q.id
            assert shown_label(q).startswith("情景 · "), q.id
            assert "原文" in q.explanation, q.id
            if q.type in ("single", "multiple"):
                keys = {q.answer} if q.type == "single" else set(q.answer)
                for letter, option in zip(LETTERS, q.options):
                    if letter not in keys:
                        label = "“" + option.replace("“", "‘").replace("”", "’")[:4]
                        assert label in q.explanation, (q.id, option)


def test_no_choice_explanation_names_an_option_by_letter(banks):
    """Options are shuffled per learner, so an explanation names an option by its content, never by a letter."""
    letter = re.compile(r"(?<![A-Za-z])[A-F](?![A-Za-z])|选项\s*[A-F]|[A-F]\s*项")
    for b in banks:
        for q in b.questions:
            if q.type in ("single", "multiple"):
                assert not letter.search(q.explanation), (q.id, q.explanation)


def test_scenarios_invent_no_names_or_figures(banks):
    """Teaching cases: 某区、某街道…, no digits and no place names of the article's own locality."""
    for b in banks:
        for q in b.questions:
            if q.kind == "scenario":
                text = q.stem + "".join(q.options)
                assert not re.search(r"\d|[０-９]", text), q.id
                assert not re.search(r"南京|秦淮|江苏", text), q.id
                assert re.search(r"某(?:区|街道|社区|企业|机关|区直机关|区级|区属|高校)", q.stem), q.id


def test_no_order_stem_states_its_order(banks):
    for b in banks:
        for q in b.questions:
            if q.type == "order":
                assert "依次" not in q.stem and not any(item in q.stem for item in q.items), q.id


def test_single_choice_keys_spread_over_positions(banks):
    keys = Counter(q.answer for b in banks for q in b.questions if q.type == "single")
    assert max(keys.values()) <= 0.4 * sum(keys.values()), keys


def test_single_choice_key_is_not_the_give_away_longest(banks):
    for b in banks:
        for q in b.questions:
            if q.type == "single":
                key = q.option_text(q.answer)
                longest = max(len(o) for o in q.options if o != key)
                assert len(key) <= max(1.2 * longest, longest + 2), q.id


def test_multiple_choice_keys_have_two_to_four_of_four_or_five_options(banks):
    items = [q for b in banks for q in b.questions if q.type == "multiple"]
    for q in items:
        assert 4 <= len(q.options) <= 5 and 2 <= len(q.answer) < len(q.options), q.id
    with_last = [q for q in items if LETTERS[len(q.options) - 1] in q.answer]
    assert len(with_last) <= 0.6 * len(items)
    sizes = Counter(len(q.answer) for q in items)
    assert sizes.keys() >= {2, 3, 4} and max(sizes.values()) <= 0.5 * len(items), sizes


def test_true_false_items_are_not_true_when_verbatim_and_false_when_altered(banks, article):
    """Some true items are paraphrases (no long verbatim run), some false items quote the article word for word."""
    def longest_verbatim(stem: str) -> int:
        body = stem.split("：", 1)[1]
        return max((j - i for i in range(len(body)) for j in range(i + 1, len(body) + 1)
                    if body[i:j] in article.text), default=0)

    items = [q for b in banks for q in b.questions if q.type == "truefalse"]
    assert sum(1 for q in items if q.answer and longest_verbatim(q.stem) <= 8) >= 3
    assert sum(1 for q in items if not q.answer and longest_verbatim(q.stem) >= 15) >= 2


def test_short_answer_keypoints_need_the_idea_not_one_generic_word(banks):
    generic = {"特色活动", "人才举措", "全会精神", "关心关爱", "主导产业", "一站式", "秦聚英才", "组合拳"}
    for b in banks:
        for q in b.questions:
            for _, terms in q.keypoints:
                for term in terms:
                    assert term not in generic and len(re.sub("[“”、，]", "", term)) >= 5, (q.id, term)


def test_merged_and_retired_items_are_gone(banks):
    ids = {q.id for b in banks for q in b.questions}
    assert not ids & {"p1-02", "p1-12", "p1-17", "p2-13", "p2-16", "p3-05", "p3-11", "p4-08"}


def test_first_questions_do_not_share_one_option_set(banks):
    sets = [frozenset(next(q for q in b.questions if q.id == f"p{b.pillar}-01").options) for b in banks]
    assert len(set(sets)) == 4 and not frozenset.intersection(*sets)


def test_gaps_are_covered(banks):
    sources = [(q, q.source) for b in banks for q in b.questions if _auto(q)]
    for phrase in ("加强对干部全方位管理和经常性监督", "落实流动党员管理重点任务", "加快推进科技成果转化"):
        assert sum(phrase in s for _, s in sources) >= 2, phrase
    discussions = [d for b in banks for d in b.discussion]
    assert any("严管" in d.prompt and "厚爱" in d.prompt for d in discussions)


def test_every_discussion_ends_in_a_checklist_and_has_a_trainer_rubric(banks):
    for b in banks:
        for d in b.discussion:
            assert "本单位的落实清单（任务、责任人、时限、检验标准）" in d.prompt, d.id
            points = re.findall(r"[①②③④⑤]", d.guide.split("常见偏差")[0])
            assert 3 <= len(points) <= 5, d.id
            assert "常见偏差：" in d.guide and "点评标准：" in d.guide, d.id
            assert all(level in d.guide for level in ("合格", "良好", "优秀")), d.id


# --- wording claims (issue 23) ------------------------------------------------------------------------------

def test_chapter_one_does_not_overstate_the_learning_content():
    prose = _prose("ch1-political")
    assert "主次之分" not in prose
    assert "把学习贯彻习近平新时代中国特色社会主义思想作为主题主线，把党的二十届三中全会精神作为重要内容" in prose
    assert "“谁带头学”" not in prose  # the course's reading is not set in quotation marks as if it were the article's


def test_chapter_two_says_cadre_team_structure_as_the_article_does(article):
    prose = _prose("ch2-cadres")
    assert "班子结构" not in prose and "干部队伍结构" in prose and "不断优化干部队伍结构" in article.text


def _caption(page: str) -> str:
    return re.search(r":    caption: (.+)", (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")).group(1)


@pytest.mark.parametrize("pillar", PILLARS)
def test_chapter_chart_captions_say_which_words_are_shown(article, pillar):
    from exercises.text.analysis import term_counts

    paragraph = article.pillar(pillar).paragraph
    shown = chapter._keyword_counts(pillar, 12)
    for text in (_caption(CHAPTERS[pillar]), _chart_section(CHAPTERS[pillar])):
        minimum, count = map(int, re.search(r"至少出现 (\d) 次的全部 (\d+) 个词", text).groups())
        qualifying = term_counts(paragraph, top=999, minimum=minimum)
        assert len(qualifying) == count == len(shown) and qualifying == shown, text
    left_out = re.search(r"出现 (\d) 次的还有 (\d+) 个", _chart_section(CHAPTERS[pillar]))
    if left_out:
        times, number = map(int, left_out.groups())
        assert sum(1 for _, n in term_counts(paragraph, top=999) if n == times) == number
    else:
        assert len(term_counts(paragraph, top=999)) == len(shown)


def test_article_chart_caption_says_which_words_are_shown(article):
    from exercises.text.analysis import term_counts

    texts = [p.paragraph for p in article.pillars]
    ranked = term_counts("\n".join(texts), top=999)
    terms, _ = term_matrix(texts, top=14)
    for text in (_caption("article"), _chart_section("article")):
        times, count = map(int, re.search(r"出现 (\d) 次及以上的 ?(?:全部 )?(\d+) 个词", text).groups())
        assert [w for w, n in ranked if n >= times] == terms[:count]
        extra = re.findall(r"出现 (\d) 次的 ?(?:(\d+) 个词中在原文里最先出现的)?“([^”]+)”", text)
        assert [w for _, _, w in extra] == terms[count:]
        for n, of, word in extra:
            tied = [w for w, c in ranked if c == int(n)]
            assert tied[0] == word and (not of or len(tied) == int(of))
    assert "共 14 个词" in _chart_section("article") and len(terms) == 14


def test_glossary_order_claim(banks):
    from exercises.questions.presentation import part_label

    assert "每个“突出”先列目标和总体要求中的术语，再按举措列出" in _prose("glossary")
    for b in banks:
        kinds = ["aim" if part_label(b.pillar, t.measure, t.source).endswith("（目标）") else
                 "lead" if part_label(b.pillar, t.measure, t.source).endswith("（总体要求）") else "measure"
                 for t in b.terms]
        assert kinds == sorted(kinds, key=["aim", "lead", "measure"].index) and kinds[0] == "aim", b.pillar


@pytest.mark.parametrize("pillar", PILLARS)
def test_chapter_exercise_claims(banks, pillar):
    from exercises.questions.presentation import measure_label

    bank = next(b for b in banks if b.pillar == pillar)
    prose = _prose(CHAPTERS[pillar])
    total, parts, scenarios = re.search(r"本章共 (\d+) 道练习，覆盖本章的([^。]+)。其中 (\d+) 道标有“情景”", prose).groups()
    assert int(total) == len(bank.questions) and int(scenarios) == sum(q.kind == "scenario" for q in bank.questions)
    names = {"目标": "（目标）", "总体要求": "（总体要求）", "三项举措": "举措", "文章开篇": "开篇"}
    claimed = set(re.split(r"、|和", parts))
    found = {name for name, mark in names.items() if any(mark in measure_label(q) for q in bank.questions)}
    assert claimed == found, (claimed, found)
    assert all(any(mark in measure_label(q) for mark in names.values()) for q in bank.questions)


def test_class_time_fits_the_scenarios(banks):
    guide = _prose("trainer-guide")
    low, high, each = map(int, re.search(r"每章 (\d+)～(\d+) 道，每道约 (\d+) 分钟", guide).groups())
    counts = [sum(q.kind == "scenario" for q in b.questions) for b in banks]
    assert low == min(counts) and high == max(counts) and high * each <= _units("trainer-guide")["第二单元"] // 4
    discussions = [len(b.discussion) for b in banks]
    assert "每章有三至四道研讨题" in guide and min(discussions) == 3 and max(discussions) == 4


def test_trainer_guide_matches_the_product():
    """学号 required, 综合测评 kept apart, every command it names exists; build commands only in the maintainer note."""
    import json

    from exercises.cli import build_parser

    guide = _prose("trainer-guide")
    assert "学号必须填写" in guide and "学号可不填" not in guide
    assert "只保留最后一次" not in guide and "综合测评的作答单独记录" in guide
    schema = json.loads((ROOT / "exercises/schema/results.schema.json").read_text(encoding="utf-8"))
    assert "assessment" in schema["properties"] and "answers" in schema["properties"]
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    named = re.findall(r"`\.?/?course ([a-z-]+)(?: ([a-z-]+))?", guide)
    assert len(named) >= 10
    for command, sub in named:
        assert command in commands, command
        if command == "records" and sub:
            assert sub in commands["records"]._subparsers._group_actions[0].choices, sub
    trainer_part, maintainer = guide.split("```{div}\n:only: html\n**课程维护者附注**")
    for word in ("./course book", "./course pdf", "_build", "progress.json", "Binder", "Run All Cells"):
        assert word not in trainer_part, word
    assert "./course book" in maintainer and "./course pdf" in maintainer
    for step in ("course records batch", "course records roster", "course records pins", "course serve",
                 "course records import", "course grade", "course records hours", "course records report"):
        assert step in trainer_part, step


@pytest.mark.parametrize("pillar", PILLARS)
def test_chapter_pages_carry_the_checklist_form(pillar):
    """On the page; print has its own form (print_form.checklist_markdown), so the page's table is for the screen."""
    section = _prose(CHAPTERS[pillar]).split("## 研讨题", 1)[1].split("\n## ", 1)[0]
    assert "```{div}\n:only: html\n**本单位落实清单**" in section
    assert "| 任务 | 责任人 | 时限 | 检验标准 |" in section
    assert section.count("|  |  |  |  |") >= 3


def test_scenario_keys_are_not_the_only_options_in_the_articles_words(banks, article):
    """A careless reader picks the option that sounds like the article: where the key quotes six or more characters
    of the article, so does at least one wrong option (a measure misapplied)."""
    text = article.text.replace("“", "").replace("”", "")

    def verbatim(option: str) -> int:
        s = option.replace("“", "").replace("”", "")
        return max((j - i for i in range(len(s)) for j in range(i + 6, len(s) + 1) if s[i:j] in text), default=0)

    for b in banks:
        for q in b.questions:
            if q.kind == "scenario" and q.type in ("single", "multiple"):
                keys = {q.answer} if q.type == "single" else set(q.answer)
                if min(verbatim(q.option_text(k)) for k in keys) >= 6:
                    assert any(verbatim(o) >= 6 for k, o in zip(LETTERS, q.options) if k not in keys), q.id


@pytest.mark.parametrize("qid, answer, point", [
    ("p1-13", "以全会精神为主题主线，以习近平新时代中国特色社会主义思想作为重要内容。", "主题主线"),
    ("p1-13", "以全会精神为主题主线，以习近平新时代中国特色社会主义思想作为重要内容。", "重要内容"),
    ("p3-06", "引导更多人才力量为区域发展作贡献。", "双招双引"),
    ("p3-14", "做深做实院士健康专项行动。", "青年学子聚秦淮"),
    ("p4-14", "健全领导协调机制，建强基层骨干队伍。", "领导协调机制"),
    ("p4-14", "健全领导协调机制，建强基层骨干队伍。", "社区书记"),
])
def test_short_answer_keypoints_reject_reversals_and_generic_words(banks, qid, answer, point):
    from exercises.questions.grading import grade

    q = next(q for b in banks for q in b.questions if q.id == qid)
    found = " ".join(d for d in grade(q, answer).details if d.startswith("已答到"))
    assert point not in found, (qid, found)
    assert grade(q, q.answer).verdict == "correct", qid


def test_true_false_wording_is_no_tell(banks):
    """Inclusive wording (既…也, 不止) and exclusive wording (只) each occur in both true and false items, or in none."""
    items = [q for b in banks for q in b.questions if q.type == "truefalse"]
    for pattern in (r"既.+也|不止|并不只|不仅", r"只"):
        answers = {q.answer for q in items if re.search(pattern, q.stem)}
        assert len(answers) != 1, (pattern, answers)
