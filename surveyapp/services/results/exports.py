"""A round's aggregated results as download rows: CSV and Excel built from `results.round_results`.

Every number is the results service's own (`ResultRow`), so a download equals the dashboard, suppression
included. The API's rows (`API_RESULT_COLUMNS`) are the item rows with exactly the fields the API documents.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...models import LEVELS, Round
from ..spreadsheets import Column, Sheet, key_value_columns
from .counts import ResultRow, RoundData, load_round, round_results

LEVEL_NAMES = {"sygehus": _l("Hospitals"), "afdeling": _l("Departments"), "afsnit": _l("Wards")}
LEVEL_NAME = {"sygehus": _l("Hospital"), "afdeling": _l("Department"), "afsnit": _l("Ward")}

#: The API's result fields, in its documented order; also the columns of /api/v1/rounds/<id>/results.csv.
API_RESULT_FIELDS = ("unit_code", "unit_name", "level", "item_code", "n", "positive", "percent", "ci_low",
                     "ci_high", "target", "met", "suppressed")


def _api_value(row: ResultRow, key: str):
    # The target is a fraction (0.8) in every API answer, as in /rounds; percent and the interval are 0-100.
    if key == "target":
        return None if row.target is None else row.target / 100
    if key in ("n", "positive") and not row.suppressed and getattr(row, key) is None:
        return 0  # shown, but every answer was "ved ikke": zero valid answers, not an unknown number
    return getattr(row, key)


API_RESULT_COLUMNS = [Column(key, key, get=lambda row, key=key: _api_value(row, key)) for key in API_RESULT_FIELDS]


def item_texts(round_: Round, lang: str) -> dict[str, str]:
    """Item code -> its text in `lang` (Danish as fallback), with the reverse-scoring note on a reversed item;
    dimensions stand for themselves."""
    note = str(_l("reverse-scored: disagreeing counts as positive"))
    return {item.code: f"{item.label(lang)} ({note})" if item.reverse else item.label(lang)
            for item in round_.questionnaire.items}


def result_columns(texts: dict[str, str]) -> list[Column]:
    """The columns of a results download for people: units, item, respondents, then the numbers."""
    return [
        Column("level", _l("Level"), show=lambda level: str(LEVEL_NAME[level]), width=10),
        Column("unit_code", _l("Unit code"), width=12),
        Column("unit_name", _l("Unit"), width=28),
        Column("parent_code", _l("Parent unit code"), width=12),
        Column("measure", _l("Measure"), show=lambda m: str(_l("Item") if m == "item" else _l("Dimension")), width=10),
        Column("item_code", _l("Item code"), width=22),
        Column("item_text", _l("Item text"), get=lambda r: texts.get(r.item_code, r.item_code), width=48),
        Column("key", _l("Key item"), kind="bool", width=8),
        Column("respondents", _l("Respondents"), kind="int", width=10),
        Column("headcount", _l("Headcount"), kind="int", width=10),
        Column("response_rate", _l("Response rate"), kind="percent", width=10),
        Column("n", _l("Valid answers"), kind="int", width=10),
        Column("positive", _l("Positive answers"), kind="int", width=10),
        Column("percent", _l("Positive (%)"), kind="percent", width=10),
        Column("ci_low", _l("95% interval, low"), kind="percent", width=10),
        Column("ci_high", _l("95% interval, high"), kind="percent", width=10),
        # Named for its unit: the API's `target` is a fraction (0.8), this column a percentage (80).
        Column("target_percent", _l("Target (%)"), kind="percent", get=lambda r: r.target, width=8),
        Column("met", _l("Target met"), kind="bool", width=8),
        Column("suppressed", _l("Hidden (small group)"), kind="bool", width=10),
    ]


@dataclass(frozen=True)
class ResultDownload:
    """What a results download needs, all loaded before the response starts: a streamed body runs after the
    request's ORM session is gone, so it may not walk a relationship (`round.questionnaire.items`)."""

    round: Round
    data: RoundData
    visible: set[int] | None
    columns: list[Column]
    metadata: list[tuple[str, object]]

    @classmethod
    def load(cls, round_: Round, visible: set[int] | None) -> ResultDownload:
        locale = get_locale()
        lang = locale.language if locale else "da"
        return cls(round_, load_round(round_, visible), visible, result_columns(item_texts(round_, lang)),
                   round_metadata(round_, lang))

    def rows(self, level: str | None = None) -> list[ResultRow]:
        return round_results(self.round, level=level, visible_unit_ids=self.visible, data=self.data)

    def sheets(self) -> Iterator[Sheet]:
        """A sheet per level that has visible units, then the round's metadata."""
        for level in LEVELS:
            rows = self.rows(level)
            if rows:
                yield Sheet(str(LEVEL_NAMES[level]), self.columns, rows, met_key="met")
        yield Sheet(_("About"), key_value_columns(), self.metadata)


def round_metadata(round_: Round, lang: str) -> list[tuple[str, object]]:
    """The round's facts a reader of the numbers needs: questionnaire, period, threshold and target."""
    questionnaire = round_.questionnaire
    return [
        (_("Round"), round_.name),
        (_("Round id"), round_.id),
        (_("Questionnaire"), questionnaire.text(lang)),
        (_("Questionnaire code"), questionnaire.code),
        (_("Questionnaire version"), questionnaire.version),
        (_("Audience"), _("Staff") if questionnaire.audience == "staff" else _("Patients")),
        (_("Opens"), round_.opens_at.date()),
        (_("Closes"), round_.closes_at.date()),
        (_("Anonymity threshold (respondents)"), round_.min_group),
        (_("Target"), format_percent(round_.target)),
        (_("Note"), _("Groups with fewer respondents than the threshold, and groups that would reveal them, "
                      "are hidden: their numbers are empty, exactly as on the dashboard.")),
    ]


def api_result_rows(round_: Round, level: str | None, visible: set[int] | None) -> list[ResultRow]:
    """The item rows the API and its CSV serve: one per unit and item, optionally of one level."""
    return [row for row in round_results(round_, level=level, visible_unit_ids=visible) if row.measure == "item"]


def api_result_dict(row: ResultRow) -> dict:
    """A result row with exactly the API's fields."""
    return {key: _api_value(row, key) for key in API_RESULT_FIELDS}
