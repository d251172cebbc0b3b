"""The cleaning pipeline and the parsed structure of the article."""
import re

from exercises.text.article import DAMAGE_MARK, PINYIN_RESIDUE, clean, parse, read_received, split_sentences

PINYIN = re.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{2,}")


def test_received_text_is_kept_verbatim():
    raw = read_received()
    assert raw.startswith("黨的二十屆三中全會")
    assert len(PINYIN_RESIDUE.findall(raw)) == 110


def test_no_residue_in_canonical_text(article):
    body = article.text.replace(DAMAGE_MARK, "")
    assert not PINYIN.search(body)
    assert not re.search(r"[,;:()?!]", body)
    assert "\ufffd" not in body
    assert "著力" not in body and article.text.count("着力") == 3


def test_canonical_text_is_simplified(article):
    import opencc

    assert opencc.OpenCC("t2s").convert(article.text) == article.text
    for traditional in "黨屆會組織領導關鍵數學習貫徹":
        assert traditional not in article.text


def test_report_counts_every_repair(article):
    report = article.report
    assert report.pinyin_removed == 110
    assert len(report.pinyin_characters) == 30
    assert report.corrections == {"著力": 3}
    assert report.damaged_spans == ("?lián)斅穆?",)
    assert report.punctuation_fixed > 0


def test_structure_four_pillars_twelve_measures(article):
    assert [p.title for p in article.pillars] == ["突出政治引领", "突出选贤任能", "突出人才引育", "突出固本强基"]
    assert [p.aim for p in article.pillars] == [
        "增强全面深化改革的思想自觉。", "锻造全面深化改革的骨干力量。",
        "激活全面深化改革的不竭动力。", "夯实全面深化改革的组织基础。",
    ]
    assert len(article.measures) == 12
    assert [m.name for m in article.pillar(1).measures] == ["关键少数带头学", "丰富形式全面学", "学用结合深入学"]
    assert [m.name for m in article.pillar(4).measures] == ["引领治理惠民生", "赋能产业促发展", "建强堡垒育先锋"]
    assert all(m.sentences for m in article.measures)
    assert article.opening.startswith("党的二十届三中全会") and article.author_line.startswith("（作者：马献军")


def test_every_received_sentence_is_accounted_for(article):
    """Each sentence of the received body maps, after cleaning, to exactly one place in the structure."""
    raw_body = read_received().split("\n(作者", 1)[0]
    received = split_sentences(raw_body)
    placed = [article.opening]
    for p in article.pillars:
        placed.append(f"{p.title}，{p.aim}")
        placed += list(p.lead)
        for m in p.measures:
            placed += [m.heading, *m.sentences]
    assert len(received) == len(placed)
    cleaned_one_by_one = [clean(s)[0].strip() for s in received]
    assert cleaned_one_by_one == placed


def test_damaged_clause_is_flagged_not_guessed(article):
    damaged = article.damaged_sentences()
    assert len(damaged) == 1
    assert damaged[0] == f"加强对干部全方位管理和经常性监督，推动干部在监督约束下{DAMAGE_MARK}。"
    assert article.measure("2.3").sentences[0] == damaged[0]


def test_parse_rejects_a_text_without_pillars_or_measures(article):
    import pytest

    with pytest.raises(ValueError, match="至少有 3 段"):
        parse(article.opening + "\n" + article.author_line, article.report)
    with pytest.raises(ValueError, match="没有找到举措"):
        parse(f"{article.opening}\n突出某事，要做好。这一句很长，不是举措的标题，而是正文。\n{article.author_line}", article.report)
