"""The questionnaire editor: versions, items, scales, order, preview, import/export, freezing."""
import io

import pytest
import yaml
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ChangeLogEntry, Item, Questionnaire
from surveyapp.services import questionnaires
from surveyapp.services.admin import questionnaire_editor as editor


def builtin():
    return questionnaires.find("patientsikkerhedskultur")


def item_data(**overrides):
    data = {"code": "ny_vaerdi", "kind": "scale", "scale_id": builtin().scales[0].id, "dimension": "Ny",
            "required": "y", "text_da": "Jeg kan sige fra", "text_en": "I can speak up"}
    data.update(overrides)
    return data


def test_a_frozen_version_cannot_change_under_its_round(client, login_as, make_round, app, make_user):
    round_ = make_round()
    q = round_.questionnaire
    before = questionnaires.to_data(q)
    login_as("admin")
    first = q.items[0]
    for response in (
        client.post(f"/admin/questionnaires/{q.id}/items/{first.id}", data=item_data(code=first.code)),
        client.post(f"/admin/questionnaires/{q.id}/items/new", data=item_data()),
        client.post(f"/admin/questionnaires/{q.id}/items/{first.id}/delete"),
        client.post(f"/admin/questionnaires/{q.id}/items/{first.id}/down"),
        client.post(f"/admin/questionnaires/{q.id}/meta", data={"title_da": "X", "title_en": "X"}),
        client.post(f"/admin/questionnaires/{q.id}/scales/{q.scales[0].id}", data={"code": "x"}),
    ):
        assert response.status_code == 302
    db.session.expire_all()
    assert questionnaires.to_data(db.session.get(Questionnaire, q.id)) == before
    with pytest.raises(editor.EditorError):
        editor.delete_item(make_user("admin"), q, q.items[0])
    page = client.get(f"/admin/questionnaires/{q.id}").get_data(as_text=True)
    assert "er frosset" in page


def test_editing_a_frozen_version_makes_a_new_version_with_the_same_item_codes(client, login_as, make_round, app):
    q = make_round().questionnaire
    login_as("admin")
    response = client.post(f"/admin/questionnaires/{q.id}/version")
    copy = db.session.scalar(select(Questionnaire).where(Questionnaire.code == q.code, Questionnaire.version == q.version + 1))
    assert response.headers["Location"].endswith(f"/admin/questionnaires/{copy.id}")
    assert [i.code for i in copy.items] == [i.code for i in q.items] and not editor.is_frozen(copy)
    # The new version changes freely; the old one stays as it was.
    item = copy.items[0]
    client.post(f"/admin/questionnaires/{copy.id}/items/{item.id}",
                data=item_data(code=item.code, scale_id=copy.scales[0].id, text_da="Ny ordlyd", key="y"))
    db.session.expire_all()
    assert db.session.get(Item, item.id).text["da"] == "Ny ordlyd"
    assert q.items[0].text["da"] != "Ny ordlyd"


def test_admin_adds_reorders_and_deletes_items_on_an_unused_version(client, login_as, app):
    q = builtin()
    login_as("admin")
    response = client.post(f"/admin/questionnaires/{q.id}/items/new", data=item_data())
    assert response.status_code == 302
    db.session.expire_all()
    codes = [i.code for i in q.items]
    assert codes[-1] == "ny_vaerdi"
    new = q.items[-1]
    client.post(f"/admin/questionnaires/{q.id}/items/{new.id}/up")
    db.session.expire_all()
    assert [i.code for i in q.items][-2:] == ["ny_vaerdi", codes[-2]]
    client.post(f"/admin/questionnaires/{q.id}/items/{new.id}/delete")
    db.session.expire_all()
    assert "ny_vaerdi" not in [i.code for i in q.items]
    actions = list(db.session.scalars(select(ChangeLogEntry.action).order_by(ChangeLogEntry.id)))
    assert actions == ["questionnaire.item_create", "questionnaire.item_move", "questionnaire.item_delete"]


def test_item_form_checks_every_field_in_danish(client, login_as, app):
    q = builtin()
    login_as("admin")
    page = client.post(f"/admin/questionnaires/{q.id}/items/new",
                       data=item_data(code="Bad Code", text_en="")).get_data(as_text=True)
    assert "Brug kun små bogstaver, tal og understregning." in page and "Skriv teksten på alle sprog." in page
    page = client.post(f"/admin/questionnaires/{q.id}/items/new",
                       data=item_data(code=q.items[0].code)).get_data(as_text=True)
    assert "bruges allerede" in page
    page = client.post(f"/admin/questionnaires/{q.id}/items/new",
                       data=item_data(kind="choice", key="y")).get_data(as_text=True)
    assert "Kun et skala-spørgsmål kan være et nøglespørgsmål." in page


def test_admin_builds_a_questionnaire_with_a_scale_and_uses_it_in_a_round(client, login_as, make_org, app):
    login_as("admin")
    client.post("/admin/questionnaires/new", data={"code": "hygiejne", "audience": "staff", "languages": ["da", "en"]})
    q = questionnaires.find("hygiejne")
    assert editor.problems(q)  # an empty questionnaire is not ready
    client.post(f"/admin/questionnaires/{q.id}/meta", data={"title_da": "Hygiejne", "title_en": "Hygiene",
                                                                  "languages": ["da", "en"]})
    page = client.post(f"/admin/questionnaires/{q.id}/scales/new", data={
        "code": "ja_nej", "value_0": "1", "label_0_da": "Ja", "label_0_en": "Yes", "positive_0": "y",
        "value_1": "0", "label_1_da": "Nej", "label_1_en": "", "value_2": "", "label_2_da": "Måske"}) \
        .get_data(as_text=True)
    assert "Giv svarmuligheden en tekst på alle sprog." in page and "Giv svarmuligheden en værdi." in page
    client.post(f"/admin/questionnaires/{q.id}/scales/new", data={
        "code": "ja_nej", "value_0": "1", "label_0_da": "Ja", "label_0_en": "Yes", "positive_0": "y",
        "value_1": "0", "label_1_da": "Nej", "label_1_en": "No"})
    db.session.expire_all()
    scale = q.scales[0]
    assert scale.positive_values == [1]
    client.post(f"/admin/questionnaires/{q.id}/items/new", data=item_data(code="haender", scale_id=scale.id,
                                                                           key="y"))
    db.session.expire_all()
    assert editor.problems(q) == []
    assert q.id in {c.id for c in __import__("surveyapp.services.admin.rounds", fromlist=["x"]).questionnaire_choices()}
    preview = client.get(f"/admin/questionnaires/{q.id}/preview?language=en").get_data(as_text=True)
    assert "Hygiene" in preview and "I can speak up" in preview and 'type="radio"' in preview


def test_export_and_import_round_trip_with_clear_errors(client, login_as, app):
    q = builtin()
    login_as("admin")
    exported = client.get(f"/admin/questionnaires/{q.id}/export.yaml").get_data(as_text=True)
    data = yaml.safe_load(exported)
    assert data == questionnaires.to_data(q)
    page = client.post("/admin/questionnaires", data={"file": (io.BytesIO(exported.encode()), "q.yaml")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "findes allerede" in page
    data["version"] = 7
    data["items"][0]["scale"] = "findes_ikke"
    page = client.post("/admin/questionnaires", data={"file": (io.BytesIO(yaml.safe_dump(data).encode()), "q.yaml")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Filen blev afvist" in page and "unknown scale" in page
    data["items"][0]["scale"] = "enighed"
    response = client.post("/admin/questionnaires", data={"file": (io.BytesIO(yaml.safe_dump(data).encode()), "q.yaml")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and questionnaires.find(q.code, 7) is not None
    page = client.post("/admin/questionnaires", data={"file": (io.BytesIO(b"\xff\xfe: ["), "bad.yaml")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "bad.yaml" in page and "Filen blev afvist" in page


def test_adding_a_language_asks_for_its_texts(client, login_as, app):
    q = builtin()
    login_as("admin")
    response = client.post(f"/admin/questionnaires/{q.id}/meta", data={
        "languages": ["da", "en", "de"], "title_da": "Patientsikkerhedskultur", "title_en": "Patient safety culture"})
    assert response.headers["Location"].endswith(f"/admin/questionnaires/{q.id}/meta")
    db.session.expire_all()
    assert q.languages == ["da", "en", "de"]
    assert any("missing text in de" in problem for problem in editor.problems(q))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="title_de"' in page
    page = client.post(f"/admin/questionnaires/{q.id}/meta", data={"languages": ["en"], "title_da": "X"}) \
        .get_data(as_text=True)
    assert "Dansk skal være et af sprogene." in page
