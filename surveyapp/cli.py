"""Operator commands: `flask --app app <command>`. Their names and output formats are a stable interface."""
import csv
import functools
import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from .config import DEFAULT_PUBLIC_URL
from .extensions import db
from .models import ROLES
from .services import questionnaires, users
from .services.audits import templates as audit_templates
from .services.collection import links, responses
from .services.collection.materials import RoundClosed, require_printable
from .services.demo import seed as demo
from .services.strategy import definitions as strategy_definitions


def _needs_database(command):
    """One clear line and exit 1 instead of a traceback when the database is missing or not set up."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (OperationalError, ProgrammingError) as exc:
            db.session.rollback()
            message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
            raise click.ClickException(f"the database is not ready ({message}): run `flask --app app init-db` "
                                       "first, and check DATABASE_URL") from exc
    return run


def _public_url_note() -> None:
    """Commands that print URLs say which public URL they use when none is configured."""
    if not os.environ.get("SURVEYAPP_PUBLIC_URL") and current_app.config["SURVEYAPP_PUBLIC_URL"] == DEFAULT_PUBLIC_URL:
        click.echo(f"note: SURVEYAPP_PUBLIC_URL is not set; URLs use {current_app.config['SURVEYAPP_PUBLIC_URL']}",
                   err=True)


@click.command("version")
def show_version() -> None:
    """Print the release this installation runs (Flask's own --version names Flask and Python)."""
    from . import __version__

    click.echo(f"surveyapp {__version__}")


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Apply the migrations and load the built-in questionnaires (safe to run again)."""
    upgrade()
    installed = questionnaires.install_builtin()
    db.session.commit()
    installed += audit_templates.install_builtin()
    db.session.commit()
    strategy_definitions.install_builtin()
    db.session.commit()
    for questionnaire, added in installed:
        state = "installed" if added else "already there"
        click.echo(f"{questionnaire.code} v{questionnaire.version}: {state}")
    click.echo("database ready")


@click.command("seed-demo")
@click.option("--responses", default=800, show_default=True, type=click.IntRange(0, 1_000_000),
              help="Synthetic responses per staff round (a quarter as many for the patient round).")
@click.option("--seed", default=2026, show_default=True, type=int, help="Random seed; the same seed gives the same data.")
@with_appcontext
@_needs_database
def seed_demo(responses: int, seed: int) -> None:
    """Fill a fresh database with the NSR hospitals, open rounds and synthetic responses."""
    from flask import current_app

    try:
        summary = demo.seed(responses=responses, seed=seed, min_group=current_app.config["SURVEYAPP_MIN_GROUP"],
                            target=current_app.config["SURVEYAPP_TARGET"])
    except demo.DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    # Fresh statistics after a bulk load, so the planner picks the indexes from the first page view on.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    click.echo(f"{summary.units} units, {summary.rounds} rounds, {summary.responses} responses")
    for email, password, role in summary.logins:
        click.echo(f"demo login ({role}): {email} / {password}")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", help="Asked for when not given.")
@click.option("--unit", "unit_codes", multiple=True, metavar="CODE",
              help="A unit the user sees (with everything below it); repeat for several.")
@with_appcontext
@_needs_database
def create_user(email: str, role: str, password: str | None, unit_codes: tuple[str, ...]) -> None:
    """Create a user who logs in with EMAIL and sees the units given with --unit (admins see all)."""
    from sqlalchemy import select

    from .models import Unit

    found = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(unit_codes)))} if unit_codes else {}
    unknown = [code for code in unit_codes if code not in found]
    if unknown:
        raise click.ClickException("no unit with code " + ", ".join(unknown))
    if role != "admin" and not unit_codes:
        click.echo(f"note: a {role} without --unit sees no units until an admin gives them some", err=True)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.ClickException("the password must have at least 10 characters")
    try:
        user = users.create_user(email, role, password)
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from exc
    user.units = [found[code] for code in dict.fromkeys(unit_codes)]
    db.session.commit()
    scope = (": " + ", ".join(u.code for u in user.units)) if user.units else ""
    click.echo(f"created {user.email} ({user.role}){scope}")


@click.command("links")
@click.option("--round", "round_id", type=int, help="Only this round's links.")
@with_appcontext
@_needs_database
def list_links(round_id: int | None) -> None:
    """Print every collection link as CSV: round_id,questionnaire,audience,unit_code,kind,url."""
    from .models import Round

    if round_id is not None and (not 0 < round_id < 2**31 or db.session.get(Round, round_id) is None):
        raise click.ClickException(f"there is no round {round_id}")
    _public_url_note()
    rows = links.links_for_export(round_id)  # before the header: an error leaves no half a file
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["round_id", "questionnaire", "audience", "unit_code", "kind", "url"])
    for rid, code, audience, unit_code, kind, slug in rows:
        writer.writerow([rid, code, audience, unit_code, kind, links.link_url(slug)])


def _require_printable(round_) -> None:
    """One line and exit 1 for a closed round, before any note or work: it gets no posters or codes."""
    try:
        require_printable(round_)
    except RoundClosed as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("posters")
@click.option("--round", "round_id", required=True, type=int, help="The round whose afsnit get a poster each.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The PDF file to write.")
@click.option("--codes", is_flag=True, help="Add the unused answer-code cards after the posters.")
@with_appcontext
@_needs_database
def make_posters(round_id: int, out: str, codes: bool) -> None:
    """Write one PDF with an A4 QR poster per afsnit of a round (and optionally its answer-code cards)."""
    from .models import Round
    from .services.collection import posters

    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise click.ClickException(f"the folder {folder} does not exist")
    round_ = db.session.get(Round, round_id) if 0 < round_id < 2**31 else None
    if round_ is None:
        raise click.ClickException(f"there is no round {round_id}")
    _require_printable(round_)
    _public_url_note()
    try:
        data = posters.pack_pdf(round_, with_codes=codes)
    except posters.PosterError as exc:
        raise click.ClickException(str(exc)) from exc
    with open(out, "wb") as fh:
        fh.write(data)
    click.echo(f"{len(posters.pack_links(round_id))} posters written to {out}")


@click.command("import-units")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only report what would change; write nothing.")
@click.option("--deactivate-missing", is_flag=True, help="Deactivate active units that are not in the file.")
@with_appcontext
@_needs_database
def import_units(file: str, dry_run: bool, deactivate_missing: bool) -> None:
    """Import the organisation from a CSV FILE (code,name,parent_code,level,headcount,active); all or nothing."""
    from flask_babel import force_locale

    from .services.admin import org_import

    with open(file, "rb") as fh, force_locale("en"):
        text, errors = org_import.decode(fh.read())
        plan = org_import.plan(text, deactivate_missing) if text is not None else org_import.ImportPlan(errors=errors)
    for line, message in plan.errors:
        click.echo(f"{file}:{line}: {message}", err=True)
    if not plan.ok:
        raise click.ClickException(f"{len(plan.errors)} error(s); nothing was imported")
    for row in plan.created:
        click.echo(f"create {row.code} ({row.level}) {row.name}")
    for row, diff in plan.changed:
        click.echo(f"change {row.code}: " + "; ".join(f"{k} {old} -> {new}" for k, (old, new) in diff.items()))
    for code in plan.deactivated:
        click.echo(f"deactivate {code}")
    summary = (f"{len(plan.created)} created, {len(plan.changed)} changed, {len(plan.deactivated)} deactivated, "
               f"{plan.unchanged} unchanged")
    if dry_run:
        click.echo(f"dry run: {summary}; nothing was written")
        return
    org_import.apply(plan, None, deactivate_missing)
    db.session.commit()
    click.echo(f"imported: {summary}")


@click.command("codes")
@click.option("--round", "round_id", required=True, type=int, help="The round the codes answer.")
@click.option("--unit", "unit_code", required=True, help="The afsnit's code.")
@click.option("--count", required=True, type=click.IntRange(1, responses.MAX_CODES), help="How many codes.")
@with_appcontext
@_needs_database
def create_codes(round_id: int, unit_code: str, count: int) -> None:
    """Create COUNT single-use answer codes for an afsnit; print one `CODE URL` a line."""
    from sqlalchemy import select

    from .models import Round, Unit

    round_ = db.session.get(Round, round_id) if 0 < round_id < 2**31 else None
    if round_ is None:
        raise click.ClickException(f"no round with id {round_id}")
    _require_printable(round_)
    _public_url_note()
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise click.ClickException(f"no unit with code {unit_code}")
    try:
        codes = responses.create_codes(round_, unit, count)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    for code in codes:
        click.echo(f"{code.slug} {links.link_url(code.slug)}")


@click.command("create-token")
@click.argument("name")
@click.option("--raw", is_flag=True, help="Grant the permission to read anonymised raw responses.")
@click.option("--scope", "scope_email", help="Limit the token to the units of the user with this e-mail.")
@with_appcontext
@_needs_database
def create_token(name: str, raw: bool, scope_email: str | None) -> None:
    """Create an API token for a BI tool; the token is printed once, alone on the last line."""
    from sqlalchemy import func, select

    from .models import User
    from .services.admin import tokens

    if not name.strip():
        raise click.ClickException("the token needs a name")
    user = None
    if scope_email:
        user = db.session.scalar(select(User).where(func.lower(User.email) == scope_email.strip().lower()))
        if user is None:
            raise click.ClickException(f"there is no user {scope_email}")
    token, secret = tokens.create_token(name, can_read_raw=raw, user=user)
    db.session.commit()
    scope = f"the units of {user.email}" if user else "every unit"
    click.echo(f"created API token {token.id} {token.name!r}: {scope}, raw data {'yes' if raw else 'no'}")
    click.echo("it is shown only this once; store it in the BI tool now:")
    click.echo(secret)




@click.command("import-surveyxact")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--questionnaire", "code", required=True, help="The questionnaire's code.")
@click.option("--version", type=int, help="Its version (default: the newest).")
@click.option("--name", required=True, help="The name of the round.")
@click.option("--opens", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--closes", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--unit-variable", required=True, help="The dataset column naming the afsnit, e.g. b_afsnit.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), help="CSV kind,source,target.")
@click.option("--dry-run", is_flag=True, help="Only report the matching; write nothing.")
@with_appcontext
def import_surveyxact(file, code, version, name, opens, closes, unit_variable, mapping, dry_run) -> None:
    """Import a SurveyXact dataset export (Excel) FILE as a closed round; all or nothing."""
    from .services.admin import surveyxact as importer

    with open(file, "rb") as fh:
        data = fh.read()
    mapping_text = None
    if mapping:
        with open(mapping, encoding="utf-8-sig") as fh:
            mapping_text = fh.read()
    request = importer.ImportRequest(data, importer.find_questionnaire(code, version), name, opens.date(),
                                     closes.date(), unit_variable, mapping_text)
    plan = importer.plan(request)
    for line in importer.report_lines(plan):
        click.echo(line)
    if not plan.ok:
        for error in plan.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"{len(plan.errors)} error(s); nothing was imported")
    if dry_run:
        click.echo("dry run: nothing was written")
        return
    round_ = importer.apply(request, plan, None)
    db.session.commit()
    click.echo(f"imported round {round_.id}: {len(plan.respondents)} responses")


@click.command("precompute-results")
@click.option("--round", "round_id", type=int, help="Only this round (default: every closed round).")
@with_appcontext
@_needs_database
def precompute_results(round_id: int | None) -> None:
    """Count closed rounds and store their breakdowns once for every worker (for cron: safe to run again).

    Prints one line per round: round_id,responses,stored|small|open,seconds."""
    import time

    from .models import Round
    from .services.results import precompute

    if round_id is not None:
        round_ = db.session.get(Round, round_id) if 0 < round_id < 2**31 else None
        if round_ is None:
            raise click.ClickException(f"there is no round {round_id}")
        rounds = [round_]
    else:
        rounds = precompute.closed_rounds()
    for round_ in rounds:
        started = time.perf_counter()
        state = "open" if round_.status() != "closed" else ("stored" if precompute.precompute(round_) else "small")
        click.echo(f"{round_.id},{precompute.responses_of(round_)},{state},{time.perf_counter() - started:.1f}")
        db.session.rollback()  # the stored rows are committed on their own; let the next round start afresh


def _side_file(path: str | None) -> str | None:
    """The text of a small side file (a mapping, the locations), UTF-8 with or without a BOM."""
    if not path:
        return None
    with open(path, encoding="utf-8-sig") as fh:
        return fh.read()


def _import_plan(plan, dry_run: bool, apply) -> None:
    """A strategy import's end: every error and exit 1, or the summary, then write unless it is a dry run."""
    for error in plan.errors:
        click.echo(str(error), err=True)
    if not plan.ok:
        raise click.ClickException(f"{len(plan.errors)} error(s); nothing was imported")
    summary = f"{plan.created} created, {plan.updated} updated, {plan.unchanged} unchanged"
    if dry_run:
        click.echo(f"dry run: {summary}; nothing was written")
        return
    apply(plan)
    db.session.commit()
    click.echo(f"imported: {summary}")


@click.command("import-dpsd")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), help="CSV field,header for another layout.")
@click.option("--locations", type=click.Path(exists=True, dir_okay=False), help="CSV location;unit_code.")
@click.option("--dry-run", is_flag=True, help="Only report what would change; write nothing.")
@with_appcontext
@_needs_database
def import_dpsd(file: str, mapping: str | None, locations: str | None, dry_run: bool) -> None:
    """Import adverse-event cases from a DPSD Report Centre extract FILE (CSV or Excel); all or nothing."""
    from flask_babel import force_locale

    from .services.strategy import dpsd_import

    with open(file, "rb") as fh, force_locale("en"):
        plan = dpsd_import.plan(fh.read(), _side_file(mapping), _side_file(locations))
    if plan.ok and plan.ignored_columns:
        click.echo("not read: " + ", ".join(plan.ignored_columns))
    _import_plan(plan, dry_run, dpsd_import.apply)


@click.command("import-indicator")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--indicator", required=True, help="The indicator's code (see GET /api/v1/indicators).")
@click.option("--dry-run", is_flag=True, help="Only report what would change; write nothing.")
@with_appcontext
@_needs_database
def import_indicator(file: str, indicator: str, dry_run: bool) -> None:
    """Import an indicator's data from a CSV FILE: unit_code;period;numerator;denominator, or
    unit_code;date;done for a milestone; all or nothing."""
    from flask_babel import force_locale

    from .services.strategy import indicator_import

    with open(file, "rb") as fh, force_locale("en"):
        plan = indicator_import.plan(indicator, fh.read())
    _import_plan(plan, dry_run, indicator_import.apply)


@click.command("annual-reports")
@click.option("--unit", "unit_code", required=True, help="A sygehus, afdeling or afsnit: every afsnit at or below it.")
@click.option("--year", required=True, type=click.IntRange(2000, 2100), help="The calendar year.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, writable=True),
              help="The folder to write the PDFs into (made if missing).")
@click.option("--lang", default="da", show_default=True, type=click.Choice(["da", "en"]), help="The reports' language.")
@with_appcontext
@_needs_database
def annual_reports(unit_code: str, year: int, out: str, lang: str) -> None:
    """Write every afsnit's annual report (A4 PDF, as its page gives it) below a unit into a folder."""
    import time
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from .models import Unit
    from .services.plans.annual_words import STATUS_NAMES
    from .services.plans.batch import write_annual_reports

    unit = db.session.scalar(db.select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise click.ClickException(f"there is no unit {unit_code}")
    started = time.monotonic()
    with current_app.test_request_context(f"/?lang={lang}"):
        written = write_annual_reports(unit, year, Path(out), current_app.config["SURVEYAPP_ORGANISATION"], lang,
                                       datetime.now(ZoneInfo("Europe/Copenhagen")).date(), STATUS_NAMES)
    click.echo(f"{len(written)} annual reports written to {out} in {time.monotonic() - started:.1f} s")


COMMANDS = [show_version, init_db, seed_demo, create_user, list_links, make_posters, import_units, create_codes,
            create_token, import_surveyxact, precompute_results, import_dpsd, import_indicator, annual_reports]
