"""jieba segmentation with the course dictionary, and charts with a real CJK font."""
import warnings

from exercises.text.analysis import keywords, segment, user_terms


def test_user_dictionary_keeps_terms_whole():
    words = segment("全面深化改革要破解小马拉大车难题，认真落实三个区分开来，发展新质生产力")
    for term in ("全面深化改革", "小马拉大车", "三个区分开来", "新质生产力"):
        assert term in words


def test_keywords_skip_stop_words(article):
    counts = dict(keywords(article.pillar(1).paragraph, top=30))
    assert counts["学习"] >= 5
    assert "的" not in counts and "和" not in counts


def test_every_user_term_is_segmented_whole():
    for term in user_terms():
        assert segment(term) == [term], term


def test_chart_renders_chinese_without_missing_glyphs(article, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from exercises.text.charts import bar_chart, setup_cjk_font

    assert "CJK" in setup_cjk_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = bar_chart(keywords(article.pillar(1).paragraph), "突出政治引领：高频词")
        fig.savefig(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 10_000
