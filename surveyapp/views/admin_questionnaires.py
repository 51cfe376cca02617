"""Questionnaires: versions, editing items and scales, preview, import and export. Admins only."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.admin import (
    ActionForm,
    QuestionnaireImportForm,
    QuestionnaireNewForm,
    item_form,
    questionnaire_meta_form,
    scale_form,
)

from ..extensions import db
from ..i18n import LANGUAGE_NAMES, PATIENT_LANGUAGES
from ..models import AnswerScale, Item, Questionnaire
from ..services.admin import questionnaire_editor as editor
from ..services.admin.questionnaire_editor import EditorError
from ..services.questionnaires import QuestionnaireError
from .admin import bp

#: Empty option rows offered beyond a scale's current options.
EXTRA_SCALE_ROWS = 3


def _questionnaire(questionnaire_id: int) -> Questionnaire:
    return db.session.get(Questionnaire, questionnaire_id) or abort(404)


def _texts(form, prefix: str, languages: list[str]) -> dict:
    return {lang: (form[f"{prefix}_{lang}"].data or "").strip() for lang in languages
            if (form[f"{prefix}_{lang}"].data or "").strip()}


def _frozen_redirect(questionnaire: Questionnaire):
    flash(_("This version is used by a round and cannot change. Make a new version to edit it."), "error")
    return redirect(url_for("admin.questionnaire_view", questionnaire_id=questionnaire.id))


@bp.route("/questionnaires", methods=["GET", "POST"])
def questionnaires():
    form = QuestionnaireImportForm()
    errors = []
    if form.validate_on_submit():
        try:
            data = editor.parse_upload(form.file.data.read(), form.file.data.filename or "")
            questionnaire = editor.import_data(current_user, data)
        except QuestionnaireError as exc:
            errors = exc.errors
        else:
            db.session.commit()
            flash(_("%(code)s version %(version)d was imported.", code=questionnaire.code,
                    version=questionnaire.version), "success")
            return redirect(url_for("admin.questionnaire_view", questionnaire_id=questionnaire.id))
    return render_template("admin/questionnaires.html", rows=editor.versions(), form=form, errors=errors)


@bp.route("/questionnaires/new", methods=["GET", "POST"])
def questionnaire_new():
    form = QuestionnaireNewForm(data={"languages": ["da", "en"]} if request.method == "GET" else None)
    form.languages.choices = [(lang, LANGUAGE_NAMES[lang]) for lang in PATIENT_LANGUAGES]
    if form.validate_on_submit():
        try:
            questionnaire = editor.create(current_user, form.code.data, form.audience.data, form.languages.data,
                                          {"da": form.code.data}, {})
        except EditorError as exc:
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            return redirect(url_for("admin.questionnaire_meta", questionnaire_id=questionnaire.id))
    return render_template("admin/questionnaire_new.html", form=form)


@bp.get("/questionnaires/<int:questionnaire_id>")
def questionnaire_view(questionnaire_id: int):
    questionnaire = _questionnaire(questionnaire_id)
    return render_template("admin/questionnaire.html", q=questionnaire, frozen=editor.is_frozen(questionnaire),
                           problems=editor.problems(questionnaire), action=ActionForm())


@bp.route("/questionnaires/<int:questionnaire_id>/meta", methods=["GET", "POST"])
def questionnaire_meta(questionnaire_id: int):
    q = _questionnaire(questionnaire_id)
    if editor.is_frozen(q):
        return _frozen_redirect(q)
    data = {f"title_{lang}": q.title.get(lang, "") for lang in q.languages}
    data.update({f"intro_{lang}": (q.intro or {}).get(lang, "") for lang in q.languages})
    data["languages"] = list(q.languages)
    form = questionnaire_meta_form(q.languages)(data=data if request.method == "GET" else None)
    form.languages.choices = [(lang, LANGUAGE_NAMES[lang]) for lang in PATIENT_LANGUAGES]
    if form.validate_on_submit():
        added = [lang for lang in form.languages.data if lang not in q.languages]
        editor.update_meta(current_user, q, _texts(form, "title", q.languages), _texts(form, "intro", q.languages),
                           [lang for lang in PATIENT_LANGUAGES if lang in form.languages.data])
        db.session.commit()
        if added:  # the new language's title and introduction are written on the same page
            return redirect(url_for("admin.questionnaire_meta", questionnaire_id=q.id))
        return redirect(url_for("admin.questionnaire_view", questionnaire_id=q.id))
    return render_template("admin/questionnaire_meta.html", q=q, form=form)


@bp.post("/questionnaires/<int:questionnaire_id>/version")
def questionnaire_new_version(questionnaire_id: int):
    q = _questionnaire(questionnaire_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = editor.new_version(current_user, q)
    db.session.commit()
    flash(_("Version %(version)d was made; edit it freely until a round uses it.", version=copy.version), "success")
    return redirect(url_for("admin.questionnaire_view", questionnaire_id=copy.id))


@bp.route("/questionnaires/<int:questionnaire_id>/items/new", methods=["GET", "POST"], endpoint="item_new")
@bp.route("/questionnaires/<int:questionnaire_id>/items/<int:item_id>", methods=["GET", "POST"])
def item_edit(questionnaire_id: int, item_id: int | None = None):
    q = _questionnaire(questionnaire_id)
    item = None
    if item_id is not None:
        item = db.session.get(Item, item_id)
        if item is None or item.questionnaire_id != q.id:
            abort(404)
    if editor.is_frozen(q):
        return _frozen_redirect(q)
    data = {}
    if item is not None and request.method == "GET":
        data = {"code": item.code, "kind": item.kind, "dimension": item.dimension, "scale_id": item.scale_id,
                "key": item.key, "reverse": item.reverse, "required": item.required, "max_length": item.max_length}
        data.update({f"text_{lang}": item.text.get(lang, "") for lang in q.languages})
        data.update({f"help_{lang}": (item.help or {}).get(lang, "") for lang in q.languages})
    form = item_form(q.languages)(data=data or None)
    form.scale_id.choices = [("", _("(none: free text)"))] + [(s.id, s.code) for s in q.scales]
    if form.validate_on_submit():
        try:
            editor.save_item(current_user, q, item, code=form.code.data, kind=form.kind.data,
                             dimension=form.dimension.data, scale=db.session.get(AnswerScale, form.scale_id.data or 0),
                             reverse=form.reverse.data, key=form.key.data, required=form.required.data,
                             max_length=form.max_length.data, text=_texts(form, "text", q.languages),
                             help=_texts(form, "help", q.languages))
        except EditorError as exc:
            form.kind.errors.append(str(exc))
        else:
            db.session.commit()
            return redirect(url_for("admin.questionnaire_view", questionnaire_id=q.id))
    return render_template("admin/item_form.html", q=q, item=item, form=form)


@bp.post("/questionnaires/<int:questionnaire_id>/items/<int:item_id>/<any(up, down, delete):change>")
def item_change(questionnaire_id: int, item_id: int, change: str):
    q = _questionnaire(questionnaire_id)
    item = db.session.get(Item, item_id)
    if item is None or item.questionnaire_id != q.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if change == "delete":
            editor.delete_item(current_user, q, item)
        else:
            editor.move_item(current_user, q, item, -1 if change == "up" else 1)
    except EditorError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
    return redirect(url_for("admin.questionnaire_view", questionnaire_id=q.id) + "#items")


@bp.route("/questionnaires/<int:questionnaire_id>/scales/new", methods=["GET", "POST"], endpoint="scale_new")
@bp.route("/questionnaires/<int:questionnaire_id>/scales/<int:scale_id>", methods=["GET", "POST"])
def scale_edit(questionnaire_id: int, scale_id: int | None = None):
    q = _questionnaire(questionnaire_id)
    scale = None
    if scale_id is not None:
        scale = db.session.get(AnswerScale, scale_id)
        if scale is None or scale.questionnaire_id != q.id:
            abort(404)
    if editor.is_frozen(q):
        return _frozen_redirect(q)
    rows = (len(scale.options) if scale else 2) + EXTRA_SCALE_ROWS
    data = {}
    if scale is not None and request.method == "GET":
        data["code"] = scale.code
        for n, option in enumerate(scale.options):
            data.update({f"value_{n}": option.value, f"positive_{n}": option.positive, f"na_{n}": option.not_applicable})
            data.update({f"label_{n}_{lang}": option.label.get(lang, "") for lang in q.languages})
    form = scale_form(q.languages, rows)(data=data or None)
    if form.validate_on_submit():
        try:
            editor.save_scale(current_user, q, scale, form.code.data, form.options())
        except EditorError as exc:
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            return redirect(url_for("admin.questionnaire_view", questionnaire_id=q.id))
    return render_template("admin/scale_form.html", q=q, scale=scale, form=form, rows=range(rows))


@bp.get("/questionnaires/<int:questionnaire_id>/preview")
def questionnaire_preview(questionnaire_id: int):
    q = _questionnaire(questionnaire_id)
    lang = request.args.get("language") if request.args.get("language") in q.languages else q.languages[0]
    return render_template("admin/questionnaire_preview.html", q=q, plang=lang, language_names=LANGUAGE_NAMES)


@bp.get("/questionnaires/<int:questionnaire_id>/export.yaml")
def questionnaire_export(questionnaire_id: int):
    q = _questionnaire(questionnaire_id)
    return Response(editor.export_yaml(q), mimetype="application/yaml", headers={
        "Content-Disposition": f"attachment; filename={q.code}-v{q.version}.yaml"})
