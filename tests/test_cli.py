"""The operator commands: init-db, seed-demo, create-user, links."""
import csv
import io

from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import CollectionLink, Response, Unit, User
from surveyapp.services.users import authenticate
from tests.conftest import make_test_app


def test_init_db_is_safe_to_run_twice(empty_database_url):
    app = make_test_app(empty_database_url)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "patientsikkerhedskultur v1: installed" in first.output
    assert "patientsikkerhedskultur v1: already there" in second.output
    with app.app_context():
        db.engine.dispose()


def test_create_user_with_password(runner):
    result = runner.invoke(args=["create-user", "Kvalitet@Example.org", "--role", "coordinator",
                                 "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert authenticate("kvalitet@example.org", "a long password").role == "coordinator"


def test_create_user_asks_for_the_password_when_none_is_given(runner):
    result = runner.invoke(args=["create-user", "admin@example.org", "--role", "admin"],
                           input="hemmeligt-123\nhemmeligt-123\n")
    assert result.exit_code == 0, result.output
    assert authenticate("admin@example.org", "hemmeligt-123") is not None


def test_create_user_refuses_duplicates_and_unknown_roles(runner):
    runner.invoke(args=["create-user", "a@example.org", "--role", "viewer", "--password", "0123456789"])
    duplicate = runner.invoke(args=["create-user", "A@example.org", "--role", "viewer", "--password", "0123456789"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    bad_role = runner.invoke(args=["create-user", "b@example.org", "--role", "boss", "--password", "0123456789"])
    assert bad_role.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_seed_demo_prints_the_login_and_fills_the_organisation(runner):
    result = runner.invoke(args=["seed-demo", "--responses", "300", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "demo login (coordinator): koordinator@nsr.example / demo-nsr-2026" in result.output
    afsnit = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.level == "afsnit"))
    assert 28 <= afsnit <= 32
    assert db.session.scalar(select(func.count()).select_from(Response)) > 600
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code != 0 and "fresh database" in again.output


def test_links_prints_one_csv_row_per_link_with_absolute_urls(runner, make_round):
    first = make_round(link_kinds=("open", "kiosk"), questionnaire="hvad-er-vigtigt-for-dig")
    result = runner.invoke(args=["links"])
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["round_id", "questionnaire", "audience", "unit_code", "kind", "url"]
    assert len(rows) - 1 == db.session.scalar(select(func.count()).select_from(CollectionLink)) == 8
    slugs = {link.slug for link in first.links}
    for round_id, code, audience, unit_code, kind, url in rows[1:]:
        assert (round_id, code, audience) == (str(first.id), "hvad-er-vigtigt-for-dig", "patient")
        assert kind in ("open", "kiosk") and unit_code.startswith("H-")
        assert url.startswith("http://surveyapp.test/s/") and url.rsplit("/", 1)[1] in slugs


def test_links_filters_by_round(runner, make_org, make_round):
    units = list(make_org().values())
    make_round(units=units)
    second = make_round(units=units, questionnaire="hvad-er-vigtigt-for-dig")
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["links", "--round", str(second.id)]).output)))
    assert len(rows) == 4 and {row["round_id"] for row in rows} == {str(second.id)}
