"""The test client serves requests as production does: no request shares the test's context or session."""
from flask import g

from surveyapp.extensions import db
from tests.conftest import ProductionLikeClient, make_test_app


def test_each_request_gets_its_own_context_and_orm_session(database_url):
    app = make_test_app(database_url)
    app.test_client_class = ProductionLikeClient
    seen = []

    @app.get("/_session")
    def session_identity():
        seen.append((g.get("earlier"), id(db.session())))
        g.earlier = "a request before"
        return "ok"

    client = app.test_client()
    with app.app_context():
        mine = id(db.session())
        assert client.get("/_session").status_code == 200
        assert client.get("/_session").status_code == 200
    assert len(seen) == 2
    assert mine not in {session for _g, session in seen}
    assert [earlier for earlier, _session in seen] == [None, None]  # nothing carried from one request to the next
