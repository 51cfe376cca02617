"""The benchmark's pure helpers (the benchmark itself runs with `make bench`, not in the test suite)."""
from bench.firstload import assets, fonts
from bench.stats import markdown_table, percentile, ratio, summarize


def test_percentile_by_nearest_rank():
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)
    assert percentile([], 99) == 0.0 and percentile([7.0], 50) == 7.0


def test_summary_rate_and_ratio_to_the_bare_app():
    ours = summarize("surveyapp", 8, [10.0] * 300, 10)
    bare = summarize("bare Flask", 8, [2.0] * 1200, 10)
    assert ours.rate == 30 and bare.rate == 120 and ratio(ours, bare) == 0.25
    assert ratio(ours, summarize("bare Flask", 8, [], 10)) == 0.0
    table = markdown_table([(ours, bare)])
    assert "| surveyapp | 8 | 30 | 10.0 | 10.0 | 10.0 | 0 | 25% |" in table


def test_first_load_finds_stylesheets_scripts_and_fonts():
    html = ('<link rel="stylesheet" href="/static/a.css?v=1"><script defer src="/static/b.js"></script>'
            '<link rel="icon" href="/favicon.ico">')
    assert assets(html) == ["/static/a.css?v=1", "/static/b.js"]
    assert fonts('src:url(../fonts/x.woff2) format("woff2");src:url(y.woff)') == ["../fonts/x.woff2"]
