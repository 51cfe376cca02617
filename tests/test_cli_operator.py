"""Operator edges of the CLI: units for a new user, one clear line and exit 1 for every error (also before
init-db), missing rounds and folders refused before any work."""
from pathlib import Path

import pytest

from surveyapp.extensions import db
from surveyapp.models import User
from tests.conftest import make_test_app


def test_create_user_gets_units_with_repeated_unit_options(runner, make_org):
    make_org()
    result = runner.invoke(args=["create-user", "k@example.org", "--role", "coordinator", "--password",
                                 "a long password", "--unit", "H-A", "--unit", "H-B1"])
    assert result.exit_code == 0, result.output
    assert "H-A, H-B1" in result.output
    user = User.query.filter_by(email="k@example.org").one()
    assert [u.code for u in user.units] == ["H-A", "H-B1"]


def test_create_user_with_an_unknown_unit_is_one_line_and_exit_1(runner, make_org):
    make_org()
    result = runner.invoke(args=["create-user", "k@example.org", "--role", "viewer", "--password",
                                 "a long password", "--unit", "NOPE", "--unit", "H-A"])
    assert result.exit_code == 1 and result.output.strip() == "Error: no unit with code NOPE"
    assert User.query.filter_by(email="k@example.org").first() is None


@pytest.mark.parametrize("args", [
    ["create-user", "a@example.org", "--role", "admin", "--password", "a long password"],
    ["links"], ["seed-demo", "--responses", "0"], ["codes", "--round", "1", "--unit", "X", "--count", "1"],
])
def test_commands_before_init_db_say_so_in_one_line(empty_database_url, args):
    app = make_test_app(empty_database_url)
    result = app.test_cli_runner().invoke(args=args)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("note:")]
    assert len(lines) == 1 and "init-db" in lines[0] and "Traceback" not in result.output


def test_links_for_a_missing_round_and_posters_into_a_missing_folder_exit_1(runner, make_round, tmp_path):
    round_ = make_round()
    missing = runner.invoke(args=["links", "--round", "999"])
    assert missing.exit_code == 1 and "no round 999" in missing.output and "round_id" not in missing.output
    posters = runner.invoke(args=["posters", "--round", str(round_.id), "--out", str(tmp_path / "nope" / "p.pdf")])
    assert posters.exit_code == 1 and "does not exist" in posters.output


def test_import_units_reports_every_error_in_one_run(runner, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,parent_code,level,headcount,active\n"
                    "S,Sygehus,,sygehus,,1\n"
                    "S-A,Afdeling,S,afdeling,,1\n"
                    "S-A1,Afsnit,S-A,afsnit,many,1\n"        # bad number
                    "S-A1,Afsnit igen,S-A,afsnit,5,1\n"      # duplicate of a refused line
                    "S-B1,Afsnit,S-X,afsnit,5,1\n", "utf-8")  # unknown parent
    result = runner.invoke(args=["import-units", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert [e.split(":")[1] for e in errors] == ["4", "5", "6"], result.output


def test_release_version_is_reported_by_healthz_and_the_cli(client, runner):
    from surveyapp import __version__

    changelog = (Path(__file__).resolve().parent.parent / "CHANGELOG.md").read_text()
    assert f"## {__version__} " in changelog, "every release has a CHANGELOG entry"
    assert client.get("/healthz").get_json() == {"status": "ok", "version": __version__}
    assert runner.invoke(args=["version"]).output == f"surveyapp {__version__}\n"
