"""The annual report's sentences with counts, in the user's language through Babel's plural forms, so each
reads correctly for 0, 1, 2 and many in Danish and English ("1 indsats er forsinket", "2 indsatser er
forsinkede"). The templates call these; the tests call them for every count."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..results.dashboard import Headline

#: An intervention's status in words, for every page, report and download.
STATUS_NAMES = {"planlagt": _l("Planned"), "i_gang": _l("In progress"), "implementeret": _l("Implemented"),
                "opgivet": _l("Given up")}


def met_all(headline: Headline | None, round_name: str) -> str:
    """How many afsnit with results meet the target on every key item in a round."""
    if headline is None or not headline.scored:
        return _("No ward has results to compare with the target in %(round)s.", round=round_name)
    return ngettext("%(met)s of %(num)s ward with results meets the target on every key item in %(round)s.",
                    "%(met)s of %(num)s wards with results meet the target on every key item in %(round)s.",
                    headline.scored, met=headline.met_all, round=round_name)


def implemented(total: int, by_audit: int, year: int) -> str:
    """How many interventions were implemented in the year, and how many of them an audit verifies."""
    if total == 0:
        return _("No intervention was implemented in %(year)s.", year=year)
    text = ngettext("%(num)s intervention was implemented in %(year)s.",
                    "%(num)s interventions were implemented in %(year)s.", total, year=year)
    if total == 1:
        verified = _("The latest audit of its workflow verifies it.") if by_audit else \
            _("Its status says so; no audit has verified it.")
    else:
        verified = ngettext("%(num)s of them is verified by the latest audit of its workflow.",
                            "%(num)s of them are verified by the latest audits of their workflows.", by_audit)
    return f"{text} {verified}"


def new_chosen(count: int) -> str:
    """How many new interventions are chosen for the coming year."""
    if count == 0:
        return _("No new intervention is chosen for the coming year.")
    return ngettext("%(num)s new intervention is chosen for the coming year.",
                    "%(num)s new interventions are chosen for the coming year.", count)


def overdue(count: int) -> str:
    """How many interventions are past their due date."""
    if count == 0:
        return _("No intervention is past its due date.")
    return ngettext("%(num)s intervention is past its due date.", "%(num)s interventions are past their due date.",
                    count)


def highlighted(count: int, side: str) -> str:
    """How many interventions an afsnit highlighted on one side of its "two and two", against the two asked."""
    if count == 0:
        return (_("No implemented intervention is highlighted; the strategy asks for two.") if side == "implemented"
                else _("No new intervention is highlighted; the strategy asks for two."))
    if side == "implemented":
        return ngettext("%(num)s implemented intervention is highlighted; the strategy asks for two.",
                        "%(num)s implemented interventions are highlighted; the strategy asks for two.", count)
    return ngettext("%(num)s new intervention is highlighted; the strategy asks for two.",
                    "%(num)s new interventions are highlighted; the strategy asks for two.", count)


def wards(count: int) -> str:
    """"1 afsnit", "12 afsnit" / "1 ward", "12 wards"."""
    return ngettext("%(num)s ward", "%(num)s wards", count)


WORDS = {"met_all": met_all, "implemented": implemented, "new_chosen": new_chosen, "overdue": overdue,
         "highlighted": highlighted, "wards": wards}
