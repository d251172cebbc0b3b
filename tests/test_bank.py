"""Question-bank validation: precise messages for malformed banks, traceability of every quote."""
import copy
import json
from pathlib import Path

import pytest
import yaml

from exercises.questions.bank import BANKS_DIR, BankError, load_all, load_bank
from exercises.text.article import DAMAGE_MARK

P1 = BANKS_DIR / "p1-political.yml"


def _write(tmp_path: Path, data, name="p1-broken.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def p1_data():
    return yaml.safe_load(P1.read_text(encoding="utf-8"))


def _error(tmp_path, data) -> str:
    with pytest.raises(BankError) as info:
        load_bank(_write(tmp_path, data))
    return str(info.value)


def test_chapter_one_bank_meets_the_issue(banks):
    bank = next(b for b in banks if b.pillar == 1)
    assert len(bank.questions) >= 12
    assert len({q.type for q in bank.questions}) >= 5
    assert {q.measure for q in bank.questions} >= {"1.1", "1.2", "1.3"}


def test_every_source_quote_is_in_the_article(banks, article):
    from exercises.questions.bank import damaged_clauses

    clause = article.text[slice(*damaged_clauses(article)[0])]
    for bank in banks:
        quotes = [q.source for q in bank.questions] + [d.source for d in bank.discussion] + [t.source for t in bank.terms]
        for quote in quotes:
            assert quote in article.text, quote
            assert DAMAGE_MARK not in quote and quote not in clause


def test_ids_are_unique_across_the_course(banks):
    ids = [q.id for b in banks for q in b.questions]
    assert len(ids) == len(set(ids))


def test_unknown_type_names_file_question_and_field(tmp_path, p1_data):
    p1_data["questions"][2]["type"] = "essay"
    message = _error(tmp_path, p1_data)
    assert "p1-broken.yml，题目 p1-03，字段 type：取值 'essay' 不在允许的取值中：single、multiple" in message


def test_answer_not_among_options(tmp_path, p1_data):
    p1_data["questions"][0]["answer"] = "E"
    assert "p1-broken.yml，题目 p1-01，字段 answer：答案 E 不在选项 A、B、C、D 中" in _error(tmp_path, p1_data)


def test_quote_not_in_article(tmp_path, p1_data):
    p1_data["questions"][1]["source"] = "坚持以干为先"
    assert "p1-broken.yml，题目 p1-16，字段 source：引文不在原文中：坚持以干为先" in _error(tmp_path, p1_data)


def test_quote_from_the_damaged_sentence_is_refused(tmp_path, p1_data):
    p1_data["questions"][1]["source"] = "推动干部在监督约束下"
    assert "题目 p1-16，字段 source：引文落在原文损坏的分句里" in _error(tmp_path, p1_data)
    p1_data["questions"][1]["source"] = "加强对干部全方位管理和经常性监督，推动干部"
    assert "题目 p1-16，字段 source：引文落在原文损坏的分句里" in _error(tmp_path, p1_data)


def test_the_intact_first_clause_of_the_damaged_sentence_may_be_quoted(article):
    from exercises.questions.bank import damaged_clauses

    (begin, end), = damaged_clauses(article)
    assert article.text[begin:end].startswith("推动干部在监督约束下") and DAMAGE_MARK in article.text[begin:end]
    assert "加强对干部全方位管理和经常性监督" in article.damaged_sentences()[0]
    assert any(q.source.endswith("加强对干部全方位管理和经常性监督") for b in load_all() for q in b.questions)


def test_missing_field_and_blank_count(tmp_path, p1_data):
    data = copy.deepcopy(p1_data)
    del data["questions"][3]["explanation"]
    message = _error(tmp_path, data)
    assert "p1-broken.yml，题目 p1-04，字段 explanation：缺少必填字段" in message
    p1_data["questions"][1]["stem"] = "没有空的题干"
    assert "题目 p1-16，字段 blanks：题干有 0 个空（___），答案给了 3 个" in _error(tmp_path, p1_data)


def test_duplicate_ids_and_wrong_pillar_prefix(tmp_path, p1_data):
    p1_data["questions"][1]["id"] = "p1-01"
    assert "题目 p1-01，字段 id：编号重复" in _error(tmp_path, p1_data)
    p1_data["questions"][1]["id"] = "p2-02"
    assert "题目 p2-02，字段 id：编号应以 p1- 开头" in _error(tmp_path, p1_data)


def test_wrong_value_types_are_reported_not_raised(tmp_path, p1_data):
    next(q for q in p1_data["questions"] if q["id"] == "p1-08")["answer"] = "yes"
    p1_data["questions"][4]["options"] = "A,B"
    message = _error(tmp_path, p1_data)
    assert "题目 p1-08，字段 answer：类型应为true/false，实际是 'yes'" in message
    assert "题目 p1-05，字段 options：类型应为列表" in message


def test_misspelt_field_is_named(tmp_path, p1_data):
    p1_data["questions"][0]["explaination"] = "typo"
    assert "题目 p1-01，字段 explaination：不认识的字段（拼写错误？单选题不用这个字段）" in _error(tmp_path, p1_data)


def test_unreadable_files(tmp_path):
    broken = tmp_path / "p1-bad.yml"
    broken.write_text("pillar: 1\nquestions: [\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"p1-bad.yml：YAML 格式错误（第 \d+ 行）"):
        load_bank(broken)
    binary = tmp_path / "p1-bin.yml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BankError, match="p1-bin.yml：不是 UTF-8 编码"):
        load_bank(binary)
    with pytest.raises(BankError, match="文件不存在"):
        load_bank(tmp_path / "missing.yml")
    empty = tmp_path / "p1-empty.yml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(BankError, match="p1-empty.yml，字段 （根）：类型应为键值表"):
        load_bank(empty)


def _hostile(tmp_path, text: str, name="p1-hostile.yml") -> str:
    """The BankError of a bank file with ``text``, raised in under a second."""
    import time

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    started = time.process_time()
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert time.process_time() - started < 1
    return str(info.value)


def test_yaml_alias_bomb_is_refused_fast_and_small(tmp_path):
    import tracemalloc

    bomb = "\n".join(["pillar: 1", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                     + [f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")]
                     + ["questions: *i"])
    tracemalloc.start()
    try:
        message = _hostile(tmp_path, bomb)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert message == "p1-hostile.yml：第 2 行定义了锚点（&a），题库不允许锚点和别名"
    assert peak < 200 * 1024 * 1024


def test_duplicate_and_non_string_keys_name_file_and_line(tmp_path):
    text = P1.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert _hostile(tmp_path, text + "pillar: 2\n") == f"p1-hostile.yml：第 {lines + 1} 行的键 pillar 重复出现"
    assert _hostile(tmp_path, text + "3: x\n") == f"p1-hostile.yml：第 {lines + 1} 行的键 3 不是文字（可加引号）"
    assert "第 1 行的键 true 不是文字" in _hostile(tmp_path, "true: 1\n" + text)


def test_non_finite_points_are_refused(tmp_path, p1_data):
    for value in (float("nan"), float("inf"), float("-inf")):
        p1_data["questions"][0]["points"] = value
        assert "p1-broken.yml：第 " in _error(tmp_path, p1_data) and "不是有限数" in _error(tmp_path, p1_data)


def test_deep_nesting_and_size_cap(tmp_path):
    assert "嵌套层数超过" in _hostile(tmp_path, "pillar: 1\nquestions: " + "[" * 100_000)
    assert "p1-hostile.yml：文件过大" in _hostile(tmp_path, "pillar: 1\n#" + "x" * 300_000 + "\n")


def test_special_files_are_refused_without_blocking(tmp_path):
    import os
    import signal

    def expire(signum, frame):
        raise TimeoutError("reading a special file blocked")

    os.mkfifo(tmp_path / "p1-fifo.yml")
    (tmp_path / "p1-zero.yml").symlink_to("/dev/zero")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)  # a FIFO that is opened for reading would block: fail instead of hanging
    try:
        for name in ("p1-fifo.yml", "p1-zero.yml"):
            with pytest.raises(BankError, match=f"{name}：是管道、设备或其他特殊文件，不是普通文件"):
                load_bank(tmp_path / name)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_bank_with_bom_loads(tmp_path):
    path = tmp_path / "p1-political.yml"
    path.write_bytes(b"\xef\xbb\xbf" + P1.read_bytes())
    assert load_bank(path).questions == load_bank(P1).questions


def test_nul_byte_is_named_in_the_banks_own_message(tmp_path):
    path = tmp_path / "p1-nul.yml"
    text = P1.read_bytes()
    path.write_bytes(text.replace(b"pillar: 1\n", b"pillar: 1\n# \x00\n", 1))
    line = text[: text.index(b"pillar: 1\n")].count(b"\n") + 2
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert str(info.value) == f"p1-nul.yml：第 {line} 行有不允许的控制字符 U+0000，请删除"


def test_each_missing_field_is_named_once(tmp_path, p1_data):
    for field in ("stem", "explanation", "source"):
        del p1_data["questions"][0][field]
    lines = _error(tmp_path, p1_data).splitlines()
    for field in ("stem", "explanation", "source"):
        assert lines.count(f"p1-broken.yml，题目 p1-01，字段 {field}：缺少必填字段") == 1, lines


# --- option shuffling (contract 2): one core for pages, notebooks and papers ----------------------------------

VECTORS = json.loads((Path(__file__).parents[1] / "exercises/data/shuffle-vectors.json").read_text("utf-8"))


def test_shuffle_vectors_are_what_the_python_core_computes():
    from itertools import islice

    from exercises.questions.shuffle import fnv1a, mulberry32, shuffled_keys

    cases = VECTORS["shuffles"]
    assert len(cases) >= 100
    assert any(not c["seed"].isascii() for c in cases) and any(not c["question_id"].isascii() for c in cases)
    assert any(c["seed"].isdigit() and int(c["seed"]) >= 2 ** 64 for c in cases)
    for c in cases:
        assert fnv1a(f"{c['seed']}/{c['question_id']}") == c["hash"]
        assert shuffled_keys(c["keys"], c["seed"], c["question_id"]) == c["shuffled"], c
        assert sorted(c["shuffled"]) == sorted(c["keys"])
    assert any(c["shuffled"] != c["keys"] for c in cases)
    for g in VECTORS["mulberry32"]:
        assert list(islice(mulberry32(g["state"]), len(g["first"]))) == g["first"]


def test_known_values_of_the_hash_and_the_generator():
    """FNV-1a of "a" and the first mulberry32 output of state 12345, as published for the JS functions."""
    from exercises.questions.shuffle import fnv1a, mulberry32

    assert fnv1a("a") == 0xE40C292C and fnv1a("") == 2166136261
    assert next(mulberry32(12345)) == 0.9797282677609473


def test_widget_shows_the_learners_order_and_records_canonical_keys(tmp_path, banks):
    from exercises.questions.progress import ProgressStore
    from exercises.questions.shuffle import shuffled_keys
    from exercises.renderers.widget import ChapterQuiz

    store = ProgressStore(tmp_path / "progress.json")
    quiz = ChapterQuiz(banks[0].questions, "1", store=store)
    item = next(i for i in quiz.items if i.question.type == "single")
    q = item.question
    keys = list("ABCDEF"[: len(q.options)])
    order = shuffled_keys(keys, quiz.seed, q.id)
    shown = [text for _, text in item.form.controls[0].choices]
    assert shown == [f"{'ABCDEF'[i]}. {q.option_text(k)}" for i, k in enumerate(order)]
    item.set_response(q.answer)
    assert item.controls[0].value == "ABCDEF"[order.index(q.answer)]
    assert item.submit().verdict == "correct"
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert saved["answers"][q.id]["answer"] == q.answer and saved["seed"] == quiz.seed
    assert f"你选了 {'ABCDEF'[order.index(q.answer)]}" in item.feedback.value
    again = ChapterQuiz(banks[0].questions, "1", store=ProgressStore(tmp_path / "progress.json"))
    assert again.seed == quiz.seed
    assert [t for _, t in next(i for i in again.items if i.question.id == q.id).form.controls[0].choices] == shown


def test_papers_shuffle_with_the_same_core(banks):
    from exercises.questions.papers import make_paper
    from exercises.questions.shuffle import shuffled_keys

    paper = make_paper(7, 40, banks)
    originals = {q.id: q for b in banks for q in b.questions}
    checked = 0
    for q in paper.questions:
        if q.type in ("single", "multiple"):
            original = originals[q.id]
            order = shuffled_keys(list("ABCDEF"[: len(original.options)]), "paper-7", q.id)
            assert q.options == tuple(original.option_text(k) for k in order)
            checked += 1
    assert checked >= 5
