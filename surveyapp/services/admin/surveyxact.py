"""Importing a SurveyXact dataset export as a closed round (a baseline): check it, then write it in one go.

The reading and matching are pure (`surveyapp.surveyxact`); this module gives them the questionnaire and the
organisation and writes the round, its afsnit, the responses and their answers. Responses are built like
collected ones: the day only (the round's last day: SurveyXact's times are not kept), a random idempotency
key, no link and nothing else about the respondent.
"""
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from ... import surveyxact
from ...extensions import db
from ...models import Answer, AnswerScale, Item, Questionnaire, Response, Round, Unit, User
from ...surveyxact.reader import N_
from ...timeutil import utcnow
from . import changelog

logger = logging.getLogger(__name__)
LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")
BATCH = 2000


@dataclass
class ImportRequest:
    """What to import: the file's bytes and the round to make of it."""

    data: bytes
    questionnaire: Questionnaire | None
    name: str
    opens: date
    closes: date
    unit_variable: str
    mapping_text: str | None = None


def find_questionnaire(code: str, version: int | None = None) -> Questionnaire | None:
    """The questionnaire version to import into: the given one, or the newest of the code."""
    query = select(Questionnaire).where(Questionnaire.code == code)
    if version is not None:
        query = query.where(Questionnaire.version == version)
    return db.session.scalar(query.order_by(Questionnaire.version.desc()).limit(1))


def _period(opens: date, closes: date) -> tuple[datetime, datetime]:
    """The round's period in naive UTC: the first day 00:00 to the last day 23:59, Danish time (as the
    patient day's rounds, so the last day shows as the closing date)."""
    start = datetime.combine(opens, time(), LOCAL_ZONE)
    end = datetime.combine(closes, time(23, 59), LOCAL_ZONE)
    utc = ZoneInfo("UTC")
    return start.astimezone(utc).replace(tzinfo=None), end.astimezone(utc).replace(tzinfo=None)


def _targets(questionnaire: Questionnaire) -> list[surveyxact.ItemTarget]:
    items = db.session.scalars(select(Item).where(Item.questionnaire_id == questionnaire.id).order_by(Item.position)
                               .options(selectinload(Item.scale).selectinload(AnswerScale.options)))
    return [surveyxact.ItemTarget(item.code, item.label("da"), item.kind, tuple(
        surveyxact.OptionTarget(o.value, o.text("da"), o.not_applicable) for o in (item.scale.options if item.scale else [])),
        item.max_length) for item in items]


def plan(request: ImportRequest) -> surveyxact.Plan:
    """The matching and every error, with nothing written; `plan.ok` only when the import may go ahead."""
    errors: list[surveyxact.Error] = []
    if request.questionnaire is None:
        errors.append(surveyxact.Error("", None, N_("unknown questionnaire")))
    if request.closes < request.opens:
        errors.append(surveyxact.Error("", None, N_("the round must close on or after the day it opens")))
    elif _period(request.opens, request.closes)[1] > utcnow():
        errors.append(surveyxact.Error("", None, N_("a baseline must be closed: its last day must be in the past")))
    mapping = surveyxact.Mapping()
    if request.mapping_text is not None:
        mapping, mapping_errors = surveyxact.read_mapping(request.mapping_text)
        errors += mapping_errors
    try:
        export = surveyxact.read_export(request.data)
    except surveyxact.ExportError as exc:
        return surveyxact.Plan(checksum="", errors=errors + exc.errors)
    if db.session.scalar(select(Round.id).where(Round.import_checksum == export.checksum)) is not None:
        errors.append(surveyxact.Error("", None, N_("this file has been imported before")))
    if request.questionnaire is None:
        return surveyxact.Plan(checksum=export.checksum, errors=errors)
    afsnit = [(u.code, u.name) for u in db.session.scalars(
        select(Unit).where(Unit.level == "afsnit").order_by(Unit.code))]
    result = surveyxact.match(export, _targets(request.questionnaire), afsnit, request.unit_variable, mapping)
    result.errors[:0] = errors
    return result


def apply(request: ImportRequest, result: surveyxact.Plan, actor: User | None) -> Round:
    """Write the planned round and its responses (flushed, not committed) and record it in the change log."""
    if not result.ok:
        raise ValueError("an import with errors cannot be written")
    opens_at, closes_at = _period(request.opens, request.closes)
    codes = set(result.per_unit())
    units = list(db.session.scalars(select(Unit).where(Unit.code.in_(codes)).order_by(Unit.code)))
    config = current_app.config
    round_ = Round(questionnaire=request.questionnaire, name=request.name, opens_at=opens_at, closes_at=closes_at,
                   target=config["SURVEYAPP_TARGET"], min_group=config["SURVEYAPP_MIN_GROUP"], units=units,
                   source="surveyxact", import_checksum=result.checksum)
    db.session.add(round_)
    db.session.flush()
    _write_responses(round_, result.respondents, {u.code: u.id for u in units}, request.closes)
    changelog.record(actor, "round.import", round_, after={
        "source": "surveyxact", "questionnaire": f"{request.questionnaire.code} v{request.questionnaire.version}",
        "opens_at": opens_at, "closes_at": closes_at, "respondents": len(result.respondents),
        "left_out_not_complete": result.not_complete, "left_out_no_answers": result.no_answers,
        "questions_left_out": [variable for variable, _ in result.unmatched], "checksum": result.checksum})
    logger.info("round %s imported from SurveyXact with %d responses by %s", round_.id, len(result.respondents),
                actor.id if actor is not None else "command line")
    return round_


def _write_responses(round_: Round, respondents: list[surveyxact.Respondent], unit_ids: dict[str, int],
                     day: date) -> None:
    """Bulk inserts: responses in batches, their ids found again by the random keys, then the answers."""
    item_ids = dict(db.session.execute(select(Item.code, Item.id).where(
        Item.questionnaire_id == round_.questionnaire_id)).all())
    for start in range(0, len(respondents), BATCH):
        batch = respondents[start:start + BATCH]
        keys = [secrets.token_urlsafe(24) for _ in batch]
        db.session.execute(insert(Response), [
            {"round_id": round_.id, "unit_id": unit_ids[r.unit_code], "link_id": None, "submitted_on": day,
             "language": "da", "idempotency_key": key} for r, key in zip(batch, keys)])
        ids = dict(db.session.execute(select(Response.idempotency_key, Response.id).where(
            Response.idempotency_key.in_(keys))).all())
        db.session.execute(insert(Answer), [
            {"response_id": ids[key], "item_id": item_ids[a.item_code], "value": a.value,
             "not_applicable": a.not_applicable, "text": a.text}
            for r, key in zip(batch, keys) for a in r.answers])
    db.session.flush()


def report_lines(result: surveyxact.Plan) -> list[str]:
    """The dry-run report as plain lines (English, a stable format for the command line)."""
    lines = [f"question {variable} -> {code} (by {how})" for variable, code, how in result.matched]
    lines += [f"question {variable} left out: {text}" for variable, text in result.unmatched]
    lines += [f'afsnit "{source}" -> {code} (by {how})' for source, code, how in result.units]
    lines += [f"afsnit {code}: {count} responses" for code, count in result.per_unit().items()]
    lines.append(f"{len(result.respondents)} responses to import; left out: {result.not_complete} not "
                 f'"Gennemført", {result.no_answers} with no matched answer')
    return lines


#: An upload waiting for its confirmation is kept this long (it holds the respondents' background data).
UPLOAD_TTL = timedelta(hours=1)


def _upload_dir():
    from pathlib import Path

    folder = Path(current_app.instance_path) / "surveyxact-uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep_upload(data: bytes) -> str:
    """Keep an uploaded export until it is confirmed; returns its checksum. Older uploads are deleted."""
    import hashlib

    folder = _upload_dir()
    import time as clock

    limit = clock.time() - UPLOAD_TTL.total_seconds()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
    checksum = hashlib.sha256(data).hexdigest()
    path = folder / f"{checksum}.xlsx"
    path.write_bytes(data)
    path.chmod(0o600)
    return checksum


def take_upload(checksum: str) -> bytes | None:
    """The kept upload with this checksum, or None when it has expired."""
    path = _upload_dir() / f"{checksum}.xlsx"
    return path.read_bytes() if path.is_file() else None


def forget_upload(checksum: str) -> None:
    """Delete a kept upload once it is imported: the file holds more than the round may keep."""
    (_upload_dir() / f"{checksum}.xlsx").unlink(missing_ok=True)
