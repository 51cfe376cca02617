"""The data of the audit pages, finished for the templates (no queries or arithmetic in Jinja)."""
from flask import render_template
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from wtforms import SelectChoice

from ...audit_scoring import MINIMUM_POINTS, enough_points, missing_samples
from ...formatting import percent
from ...extensions import db
from ...models import Audit, Unit, User
from ...runchart import ChartText, runchart_svg
from ...timeutil import utcnow
from ..pdf import render_pdf
from ..scopes import can_see, visible_unit_ids
from . import recording as audits
from . import templates as audit_templates
from .templates import rule_of


def start_choices(user: User, lang: str) -> tuple[list, list]:
    """(template choices, afsnit choices) for the start form, within the user's scope."""
    templates = [SelectChoice(t.id, t.text(lang)) for t in audit_templates.active_templates()]
    visible = visible_unit_ids(user)
    query = select(Unit).where(Unit.level == "afsnit", Unit.active.is_(True)).order_by(Unit.code)
    if visible is not None:
        query = query.where(Unit.id.in_(visible))
    units = [SelectChoice(u.id, f"{u.name} ({u.code})") for u in db.session.scalars(query)]
    return templates, units


def missing_text(correct: int, applicable: int, missing: int) -> str:
    """Why a share that looks complete is not yet implemented: "9 af 9 relevante — der mangler 1 stikprøve"."""
    return ngettext("%(correct)s of %(applicable)s applicable — %(num)s sample missing",
                    "%(correct)s of %(applicable)s applicable — %(num)s samples missing",
                    missing, correct=correct, applicable=applicable)


def afsnit_text(row) -> str:
    """How many of a roll-up's afsnit have implemented: "3 af 4 afsnit"."""
    return ngettext("%(implemented)s of %(num)s wards", "%(implemented)s of %(num)s wards", row.audits,
                    implemented=row.implemented_afsnit)


def share_text(share: float | None, template) -> str:
    """A share correct (0-1) in whole percent, never rounded up to the rule's threshold from below:
    26 of 29 (89.66 %) against 9 of 10 reads "89 %", not "90 %" beside "✘ No"."""
    if share is None:
        return "–"
    return percent(share * 100, 0, target=float(rule_of(template).threshold) * 100)


def rule_text(template) -> str:
    if template.rule_kind == "share":
        return _("Implemented at %(share)s correct", share=percent(template.target_share * 100, 0))
    return _("Implemented at %(k)s of %(n)s correct", k=template.rule_k, n=template.rule_n)


def audit_page_data(audit: Audit, lang: str) -> dict:
    """The audit overview: samples recorded, result so far, per criterion."""
    result = audits.result_of(audit)
    recorded = {s.number: s for s in audit.samples}
    criteria = [{"label": c.label(lang), "tally": result.criteria[c.code],
                 "share": share_text(result.criteria[c.code].share, audit.template)
                 if result.criteria[c.code].share is not None else None}
                for c in audit.template.criteria]
    return {
        "audit": audit,
        "template_name": audit.template.text(lang),
        "rule": rule_text(audit.template),
        "samples": [{"number": n, "recorded": n in recorded} for n in range(1, audit.template.sample_size + 1)],
        "recorded_count": len(recorded),
        "next_sample": audits.next_open_sample(audit),
        "result": result,
        "missing": (missing_text(result.overall.correct, result.overall.applicable,
                                 missing_samples(rule_of(audit.template), result.overall))
                    if not result.decided else None),
        "share": share_text(result.overall.share, audit.template) if result.overall.share is not None else None,
        "criteria": criteria,
        "audited_on": format_date(audit.audited_on),
    }


def results_page_data(user: User, template_code: str | None, lang: str, workflow: str | None = None) -> dict:
    """Latest audit results per afsnit, afdeling and sygehus for one template (and one workflow of a template
    that asks for it)."""
    templates = audit_templates.active_templates()
    # Without a choice, the template of the newest finished audit: a page that opens on results, not on "none yet".
    template_code = template_code or audits.latest_template_code(user)
    template = audit_templates.find(template_code) if template_code else (templates[0] if templates else None)
    rows, workflow, workflows = audits.latest_results(user, template.code, lang, workflow) if template else ([], None, [])
    return {
        "workflow": workflow, "workflows": workflows,
        "templates": [(t.code, t.text(lang)) for t in templates],
        "template": template,
        "template_name": template.text(lang) if template else "",
        "rule": rule_text(template) if template else "",
        "rows": [{"row": r, "share": share_text(r.tally.share, template),
                  "missing": missing_text(r.tally.correct, r.tally.applicable, r.missing) if r.missing else None,
                  "afsnit": afsnit_text(r) if r.level != "afsnit" else None,
                  "audited_on": format_date(r.audited_on) if r.audited_on else ""} for r in rows],
    }


def run_chart_page_data(user: User, unit_id: int, template_code: str, lang: str,
                        workflow: str | None = None) -> dict | None:
    """The run chart of one afsnit and template (one workflow of a template that asks for it), with its signals
    in words; None if not visible."""
    unit = db.session.get(Unit, unit_id)
    template = audit_templates.find(template_code)
    if unit is None or template is None or not can_see(user, unit.id):
        return None
    chart = audits.run_chart(unit, template_code, workflow)
    if chart is None:
        return {"unit": unit, "template_name": template.text(lang), "chart": None, "svg": None, "signals": [],
                "points": [], "template_code": template_code, "rule": rule_text(template), "workflow": None,
                "workflows": [], "reading": None}
    highlighted = {i for s in chart.signals for i in s.points}
    name = f"{template.text(lang)}: {chart.workflow}" if chart.workflow else template.text(lang)
    text = ChartText(
        title=_("Run chart: %(template)s, %(unit)s", template=name, unit=unit.name),
        median=_("Median %(share)s", share=percent(chart.median * 100, 0) if chart.median is not None else "–"),
        target=_("Target %(share)s", share=percent(chart.target * 100, 0)),
        point_labels=[format_date(p.audited_on, "short") for p in chart.points],
        value_labels=[share_text(p.share, template) for p in chart.points],
    )
    svg = runchart_svg([p.share for p in chart.points], chart.median, chart.target, highlighted, text)
    return {"unit": unit, "template_name": name, "template_code": template_code, "chart": chart,
            "svg": svg, "signals": [signal_text(s, chart.points) for s in chart.signals],
            "reading": reading_text(len(chart.points), bool(chart.signals)),
            "rule": rule_text(template), "workflow": chart.workflow, "workflows": chart.workflows,
            "points": [{"point": p, "date": format_date(p.audited_on), "share": share_text(p.share, template),
                        "counts": f"{p.correct}/{p.applicable}"} for p in chart.points]}


def reading_text(count: int, signals: bool) -> str | None:
    """What a run chart without signals says: too few audits for the rules, or no sign of a real change."""
    if signals:
        return None
    if not enough_points(count):
        return ngettext("Too few measurements: %(num)s audit so far, and the rules need at least %(minimum)s to tell "
                        "a real change from chance.",
                        "Too few measurements: %(num)s audits so far, and the rules need at least %(minimum)s to "
                        "tell a real change from chance.", count, minimum=MINIMUM_POINTS)
    return _("No shift (6 audits in a row on one side of the median) and no trend (5 audits in a row rising or "
             "falling): the variation may be chance.")


def signal_text(signal, points) -> str:
    """A run-chart signal in words, so a ward sees whether a change is real."""
    start, end = format_date(points[signal.start].audited_on), format_date(points[signal.end].audited_on)
    if signal.kind == "shift":
        if signal.direction == "up":
            return _("Shift: %(n)s audits in a row above the median (%(start)s – %(end)s). The change is probably real.",
                     n=signal.length, start=start, end=end)
        return _("Shift: %(n)s audits in a row below the median (%(start)s – %(end)s). The change is probably real.",
                 n=signal.length, start=start, end=end)
    if signal.direction == "up":
        return _("Trend: %(n)s audits in a row rising (%(start)s – %(end)s).", n=signal.length, start=start, end=end)
    return _("Trend: %(n)s audits in a row falling (%(start)s – %(end)s).", n=signal.length, start=start, end=end)


def run_chart_pdf(user: User, unit_id: int, template_code: str, lang: str, workflow: str | None = None) -> bytes | None:
    """The run chart page of one afsnit and template (and workflow) as an A4 PDF; None if not visible."""
    data = run_chart_page_data(user, unit_id, template_code, lang, workflow)
    if data is None:
        return None
    html = render_template("pdf/audit_report.html", printed_on=format_date(utcnow().date()), **data)
    return render_pdf(html)


def template_data_from_form(form) -> dict:
    """The template file format from the editor's fields; criteria get codes from their position."""
    criteria = []
    for number, line in enumerate((l.strip() for l in form.criteria.data.splitlines() if l.strip()), start=1):
        question, _, guidance = (part.strip() for part in line.partition("|"))
        criteria.append({"code": f"k{number}", "text": {"da": question},
                         **({"guidance": {"da": guidance}} if guidance else {})})
    rule = ({"k": form.rule_k.data, "n": form.rule_n.data} if form.rule_kind.data == "k_of_n"
            else {"share": form.target_percent.data / 100})
    name = {"da": form.name_da.data.strip(), **({"en": form.name_en.data.strip()} if form.name_en.data else {})}
    return {"code": "", "kind": form.kind.data, "sample_size": form.sample_size.data, "rule": rule, "name": name,
            "asks_workflow": bool(form.asks_workflow.data), "criteria": criteria}


def template_form_data(template) -> dict:
    """The editor's fields filled from a template."""
    lines = [c.text.get("da", "") + (f" | {c.guidance['da']}" if c.guidance.get("da") else "")
             for c in template.criteria]
    return {"name_da": template.name.get("da"), "name_en": template.name.get("en"), "kind": template.kind,
            "sample_size": template.sample_size, "rule_kind": template.rule_kind, "rule_k": template.rule_k or 9,
            "rule_n": template.rule_n or 10,
            "target_percent": round(template.target_share * 100) if template.target_share else 90,
            "asks_workflow": template.asks_workflow, "criteria": "\n".join(lines)}
