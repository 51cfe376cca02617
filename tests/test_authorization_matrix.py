"""The authorization matrix: every route of app.url_map × every role × objects of the role's own scope and of
another hospital. A new route fails here until it is classified; any access the README does not grant fails.

README (roles): admins use everything; coordinators administer rounds and units and read results within their
units, make answer codes, edit their own audit templates; viewers read results of their units only; auditors
record and read audits of their units only (no survey results, downloads, reports, posters or answer codes).
"""
from datetime import date

import pytest

from surveyapp.extensions import db
from surveyapp.models import AuditTemplate, Questionnaire, User
from surveyapp.services.admin import tokens
from surveyapp.services.audits.recording import start_audit
from surveyapp.services.plans import plans
from tests.conftest import PASSWORD

ROLES = ("admin", "coordinator", "viewer", "auditor")
ALL = frozenset(ROLES)
RESULTS = frozenset({"admin", "coordinator", "viewer"})
MANAGE = frozenset({"admin", "coordinator"})
ADMIN = frozenset({"admin"})
AUDITS = frozenset({"admin", "coordinator", "auditor", "viewer"})
RECORD = frozenset({"admin", "coordinator", "auditor"})

#: Routes outside the login (respondents, the login itself, static files) or under API tokens (test_api.py).
NOT_BY_ROLE = {"main.index", "main.health", "main.accessibility", "main.accessibility_short", "static", "auth.login", "auth.logout", "account.accept_invitation",
               "respond.answer", "respond.thanks", "respond.qr_code_png", "respond.qr_code_svg",
               "api.audits", "api.openapi", "api.questionnaire", "api.responses", "api.results",
               "api.results_csv", "api.rounds", "api.units", "api.action_plans", "api.indicators",
               "api.unit_strategy"}

#: Which roles the README lets use each route (in their own scope).
GRANTED = {
    "account.change_password": ALL,
    "coordinator.home": RESULTS, "coordinator.round_results": RESULTS, "coordinator.unit_results": RESULTS,
    "coordinator.round_follow_up": RESULTS, "coordinator.unit_free_texts": MANAGE,
    "downloads.round_downloads": RESULTS, "downloads.results_csv": RESULTS, "downloads.results_xlsx": RESULTS,
    "downloads.report_pdf": RESULTS, "downloads.raw_responses": ADMIN,
    "posters.link_poster": RESULTS, "posters.round_pack": RESULTS,
    "posters.code_cards": MANAGE, "posters.create_code_cards": MANAGE,
    "audits.index": AUDITS, "audits.results": AUDITS, "audits.results_csv": AUDITS, "audits.results_xlsx": AUDITS,
    "audits.run_chart": AUDITS, "audits.run_chart_download": AUDITS, "audits.show": AUDITS,
    "audits.start": RECORD, "audits.sample": RECORD, "audits.finish": RECORD,
    "audits.templates": MANAGE, "audits.edit_template": MANAGE,
    "admin.home": MANAGE, "admin.rounds": MANAGE, "admin.round_view": MANAGE, "admin.round_new": MANAGE,
    "admin.round_edit": MANAGE, "admin.round_close": MANAGE, "admin.round_reopen": MANAGE,
    "admin.round_add_units": MANAGE, "admin.round_patient_day": MANAGE,
    "admin.units": MANAGE, "admin.unit_new": MANAGE, "admin.unit_edit": MANAGE, "admin.unit_delete": MANAGE,
    "admin.units_export": ADMIN, "admin.units_import": ADMIN, "admin.units_import_confirm": ADMIN,
    "admin.users": ADMIN, "admin.user_new": ADMIN, "admin.user_edit": ADMIN, "admin.user_invite": ADMIN,
    "admin.tokens_page": ADMIN, "admin.token_revoke": ADMIN,
    "admin.change_log": ADMIN, "admin.change_log_old_address": ADMIN,
    "admin.questionnaires": ADMIN, "admin.questionnaire_new": ADMIN, "admin.questionnaire_view": ADMIN,
    "admin.questionnaire_meta": ADMIN, "admin.questionnaire_preview": ADMIN, "admin.questionnaire_export": ADMIN,
    "admin.questionnaire_new_version": ADMIN, "admin.item_new": ADMIN, "admin.item_edit": ADMIN,
    "admin.item_change": ADMIN, "admin.scale_new": ADMIN, "admin.scale_edit": ADMIN,
    "admin.round_close_confirm": MANAGE,
    "admin.surveyxact_import": ADMIN, "admin.surveyxact_import_confirm": ADMIN,
    "coordinator.unit_chart_slide": RESULTS, "coordinator.unit_meeting_pdf": RESULTS,
    "coordinator.unit_materials": RESULTS,
    # Slides (16:9 SVG/PNG): survey charts for those who read results, the run chart for audit readers.
    "coordinator.unit_history_slide": RESULTS, "coordinator.follow_up_slide": RESULTS,
    "audits.run_chart_slide": AUDITS,
    # Action plans: coordinators write their afsnit's plans, viewers read them, auditors see only the
    # interventions their audits verify (README, action plans).
    "plans.show": RESULTS, "plans.overview": RESULTS, "plans.annual": RESULTS, "plans.annual_pdf": RESULTS,
    "plans.interventions_csv": RESULTS, "plans.interventions_xlsx": RESULTS,
    "plans.index": RESULTS, "plans.index_download": RESULTS, "plans.annual_batch": RESULTS,
    "plans.meeting_deck": RESULTS, "plans.close": MANAGE,
    "plans.start": MANAGE, "plans.new_intervention": MANAGE, "plans.edit_intervention": MANAGE,
    "plans.set_status": MANAGE, "plans.add_note": MANAGE,
    "plans.verified": AUDITS,
    # The strategy page shows survey results: for those who read them; its data is imported by admins.
    "strategy.index": RESULTS, "strategy.unit_strategy": RESULTS,
    "admin.dpsd_import_page": ADMIN, "admin.dpsd_import_confirm": ADMIN, "admin.indicators": ADMIN,
    "admin.indicator_import_page": ADMIN, "admin.indicator_import_confirm": ADMIN,
}

#: Routes of a chart as a 16:9 slide, `fmt` svg or png.
SLIDES = {"coordinator.unit_chart_slide", "coordinator.unit_history_slide", "coordinator.follow_up_slide",
          "audits.run_chart_slide"}

#: Arguments whose object belongs to a hospital's scope: with another hospital's object a non-admin is refused.
SCOPED_ARGS = {"round_id", "unit_id", "link_id", "code", "audit_id", "plan_id", "intervention_id"}
REFUSED = {302, 403, 404}  # 302: to the login or away, never the page


def _objects(make_org, make_round, prefix):
    units = make_org(prefix)
    afsnit = units[f"{prefix}-A1"]
    round_ = make_round(units=list(units.values()))
    template = db.session.query(AuditTemplate).filter_by(code="isbar").first() or db.session.query(
        AuditTemplate).first()
    auditor = User.query.filter_by(role="admin").first()
    audit = start_audit(template, afsnit, auditor, date.today(), workflow="x")
    plan = plans.start_plan(round_, afsnit, auditor)
    intervention = plans.add_intervention(plan, {"title": "ISBAR", "item_ids": []}, auditor, date.today())
    db.session.commit()
    return {"round_id": round_.id, "unit_id": afsnit.id, "link_id": round_.links[0].id, "code": afsnit.code,
            "audit_id": audit.id, "template_code": template.code, "template_id": template.id,
            "plan_id": plan.id, "intervention_id": intervention.id, "year": date.today().year}, units


@pytest.fixture
def world(make_org, make_round, make_user):
    make_user("admin", email="matrix-admin@example.org")
    own, own_units = _objects(make_org, make_round, "H")
    other, _ = _objects(make_org, make_round, "X")
    questionnaire = Questionnaire.query.first()
    token, _raw = tokens.create_token("matrix", can_read_raw=False)
    users = {role: make_user(role, [own_units["H"]], email=f"matrix-{role}@example.org") for role in ROLES
             if role != "admin"}
    users["admin"] = User.query.filter_by(email="matrix-admin@example.org").one()
    db.session.commit()
    common = {"questionnaire_id": questionnaire.id, "item_id": questionnaire.items[0].id,
              "scale_id": questionnaire.items[0].scale_id, "token_id": token.id, "user_id": users["viewer"].id,
              "number": 1, "fmt": "csv", "change": "up"}
    return {"own": {**common, **own}, "other": {**common, **other}, "emails": {r: u.email for r, u in users.items()}}


def _url(app, rule, values):
    if rule.endpoint in SLIDES:
        values = {**values, "fmt": "svg"}  # a slide's format is svg or png, the downloads' csv
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_BY_ROLE]


def test_every_route_is_classified(app):
    unclassified = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - NOT_BY_ROLE - set(GRANTED))
    assert unclassified == []


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_what_the_readme_does_not_grant(app, world, role):
    client = app.test_client()
    assert client.post("/login", data={"email": world["emails"][role], "password": PASSWORD}).status_code == 302
    wrong = []
    for rule in _rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            send = client.get if method == "GET" else client.post
            if role not in GRANTED[rule.endpoint]:
                status = send(_url(app, rule, world["own"])).status_code
                if status not in (403, 404) and not (status == 302 and rule.endpoint == "coordinator.home"):
                    wrong.append((method, rule.rule, "not granted", status))
            elif role != "admin" and SCOPED_ARGS & set(rule.arguments) and method == "GET":
                status = send(_url(app, rule, world["other"])).status_code
                if status not in REFUSED:
                    wrong.append((method, rule.rule, "other hospital", status))
    assert wrong == []
