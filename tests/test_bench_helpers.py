"""The benchmark's pure helpers (the benchmark itself runs with `make bench`, not in the test suite)."""
from bench.firstload import assets, fonts
import os

from bench.results import answer_rows, organisation
from bench.stats import (cpu_ms_per_flow, cpu_ratio, markdown_table, percentile, process_tree_cpu, ratio,
                         stat_cpu_ticks, summarize)


def test_percentile_by_nearest_rank():
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)
    assert percentile([], 99) == 0.0 and percentile([7.0], 50) == 7.0


def test_summary_rate_and_ratio_to_the_bare_app():
    ours = summarize("surveyapp", 8, [10.0] * 300, 10)
    bare = summarize("bare Flask", 8, [2.0] * 1200, 10)
    assert ours.rate == 30 and bare.rate == 120 and ratio(ours, bare) == 0.25
    assert ratio(ours, summarize("bare Flask", 8, [], 10)) == 0.0
    table = markdown_table([(ours, bare)], "sqlite")
    assert "| sqlite | surveyapp | 8 | 30 | 10.0 | 10.0 | 10.0 | 0 | 0.00 | 25% | 0.0 |" in table


def test_cpu_per_flow_and_its_multiple_of_the_bare_apps():
    ours = summarize("surveyapp", 8, [10.0] * 300, 10, cpu_seconds=3.0)
    bare = summarize("bare Flask", 8, [2.0] * 1000, 10, cpu_seconds=2.0)
    assert ours.cpu_ms == 10.0 and bare.cpu_ms == 2.0 and cpu_ratio(ours, bare) == 5.0
    assert cpu_ms_per_flow(1.0, 0) == 0.0 and cpu_ratio(ours, summarize("bare Flask", 8, [], 10)) == 0.0
    assert "| sqlite | surveyapp | 8 | 30 | 10.0 | 10.0 | 10.0 | 0 | 10.00 | 30% | 5.0 |" in markdown_table(
        [(ours, bare)], "sqlite")


def test_cpu_ticks_read_from_proc_stat_even_with_spaces_in_the_name():
    line = "4242 (gunicorn: worker [app]) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 31 7 3 20 0 1 0 99 0 0"
    assert stat_cpu_ticks(line) == 281
    assert process_tree_cpu(os.getpid()) > 0
    assert process_tree_cpu(2**22 + 12345) == 0  # a process that is gone counts nothing


def test_first_load_finds_stylesheets_scripts_and_fonts():
    html = ('<link rel="stylesheet" href="/static/a.css?v=1"><script defer src="/static/b.js"></script>'
            '<link rel="icon" href="/favicon.ico">')
    assert assets(html) == ["/static/a.css?v=1", "/static/b.js"]
    assert fonts('src:url(../fonts/x.woff2) format("woff2");src:url(y.woff)') == ["../fonts/x.woff2"]


def test_results_seeder_shapes():
    tree = organisation(3, 10, 10)
    assert sum(1 for row in tree if row[2] == "afsnit") == 300
    assert sum(1 for row in tree if row[2] == "afsnit" and row[0].startswith("S0-")) == 100
    assert [row[3] for row in organisation(1, 1, 1)] == [None, "S0", "S0-D0"]
    import random

    rows = answer_rows(7, {code: i for i, code in enumerate(
        ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op", "let_at_spoerge",
         "svaert_at_sige_til", "forbedringer_bruges", "faggruppe"))}, random.Random(1))
    assert len(rows) == 7 and all(r[0] == 7 for r in rows)
    # exactly one kind per answer, as the table's check constraint demands
    assert all((r[2] is not None) + bool(r[3]) + (r[4] is not None) == 1 for r in rows)


def test_top_entries_from_collapsed_stacks():
    from bench.stats import top_entries

    collapsed = ("handle (gunicorn/workers/sync.py:1);render (jinja2/environment.py:10) 6\n"
                 "handle (gunicorn/workers/sync.py:1);render (jinja2/environment.py:12);escape (markupsafe.py:3) 2\n"
                 "handle (gunicorn/workers/sync.py:1);flush (sqlalchemy/orm/session.py:5) 2\n")
    top = top_entries(collapsed, 3)  # the server's own frames are left out
    assert top == [("render (jinja2/environment.py)", 0.8, 0.6), ("escape (markupsafe.py)", 0.2, 0.2),
                   ("flush (sqlalchemy/orm/session.py)", 0.2, 0.2)]
    assert top_entries(collapsed, 1, by_own=True) == [("render (jinja2/environment.py)", 0.8, 0.6)]
    assert top_entries("") == []
