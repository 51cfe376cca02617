"""The heavy admin pages use a fixed number of queries, however many rounds and units there are."""
from contextlib import contextmanager

from sqlalchemy import event

from surveyapp.extensions import db


@contextmanager
def count_queries():
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up: the login's user load, catalog caches
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_rounds_and_units_pages_do_not_grow_with_the_data(client, login_as, make_org, make_round, app):
    org = make_org("H")
    login_as("coordinator", units=[org["H"]])
    make_round(units=[org["H-A1"]], name="R1")
    few = {url: queries_for(client, url) for url in ("/admin/rounds", "/admin/units")}
    for n in range(2, 6):
        make_round(units=[org["H-A1"], org["H-B2"]], name=f"R{n}")
    make_org("X")
    many = {url: queries_for(client, url) for url in ("/admin/rounds", "/admin/units")}
    assert many == few
    assert many["/admin/rounds"] <= 8 and many["/admin/units"] <= 6
