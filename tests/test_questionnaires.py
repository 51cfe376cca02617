"""Built-in questionnaires as data files: loaded, validated, written back unchanged."""
import copy

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Questionnaire
from surveyapp.services import questionnaires as qs


def builtin(name):
    return qs.read_file(qs.BUILTIN_DIR / f"{name}.yaml")


@pytest.mark.parametrize("name", ["patientsikkerhedskultur", "hvad-er-vigtigt-for-dig"])
def test_loader_round_trips_a_builtin_questionnaire(app, name):
    data = builtin(name)
    stored = qs.find(data["code"], data["version"])
    assert qs.to_data(stored) == qs.to_data(qs.build(copy.deepcopy(data)))
    again = qs.to_data(qs.build(qs.to_data(stored)))
    assert again == qs.to_data(stored)
    assert [i["code"] for i in again["items"]] == [i["code"] for i in data["items"]]


def test_safety_culture_has_the_three_key_items_and_scale(app):
    q = qs.find("patientsikkerhedskultur")
    assert q.audience == "staff"
    assert [i.text["da"] for i in q.key_items] == [
        "Jeg ville føle mig tryg, hvis jeg var patient her",
        "Kulturen her hos os gør det nemt at lære af andres utilsigtede hændelser",
        "Hvis jeg kom med forslag til patientsikkerheden, ville ledelsen følge op på dem",
    ]
    scale = q.key_items[0].scale
    assert [o.label["da"] for o in scale.options] == [
        "Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig", "Ved ikke / ikke relevant"]
    assert [o.label["da"] for o in scale.options if o.positive] == ["Enig", "Helt enig"]
    assert scale.not_applicable_value == 9
    assert {i.dimension for i in q.items if i.kind == "scale"} == {"Samarbejdsklima", "Sikkerhedsklima", "Forbedringer"}
    faggruppe = next(i for i in q.items if i.code == "faggruppe")
    assert [o.label["da"] for o in faggruppe.scale.options] == [
        "Læge", "Sygeplejerske", "Social- og sundhedsassistent", "Terapeut", "Sekretær", "Andet"]
    assert next(i for i in q.items if i.code == "kommentar").kind == "text"


def test_patient_question_uses_the_national_scale(app):
    q = qs.find("hvad-er-vigtigt-for-dig")
    assert q.audience == "patient"
    question = q.items[0]
    assert question.text["da"] == "Er du tryg ved at være indlagt?"
    assert [o.label["da"] for o in question.scale.options if o.positive] == ["I meget høj grad", "I høj grad"]
    assert question.scale.options[-1].label["da"] == "Ved ikke" and question.scale.options[-1].not_applicable
    assert q.items[1].text["da"] == "Hvad er vigtigt for dig?" and q.items[1].kind == "text"


def test_installing_twice_adds_nothing(app):
    before = db.session.scalar(select(func.count()).select_from(Questionnaire))
    results = qs.install_builtin()
    assert all(added is False for _, added in results)
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == before


def test_loader_accepts_any_item_set_of_the_shape(app):
    data = {
        "code": "haandhygiejne", "version": 3, "audience": "staff", "languages": ["da"],
        "title": {"da": "Håndhygiejne"},
        "scales": {"ja_nej": [{"value": 1, "positive": True, "label": {"da": "Ja"}},
                              {"value": 0, "label": {"da": "Nej"}}]},
        "items": [{"code": f"q{n}", "scale": "ja_nej", "key": n == 1, "text": {"da": f"Spørgsmål {n}"}}
                  for n in range(1, 8)],
    }
    q, added = qs.install(data)
    assert added and len(q.items) == 7 and q.key_items[0].code == "q1" and q.version == 3


def test_invalid_questionnaire_lists_every_problem(app):
    data = builtin("patientsikkerhedskultur")
    data["audience"] = "nurses"
    data["items"][0]["scale"] = "nope"
    data["items"][1]["code"] = data["items"][2]["code"]
    del data["items"][3]["text"]["en"]
    with pytest.raises(qs.QuestionnaireError) as error:
        qs.validate(data)
    messages = "\n".join(error.value.errors)
    assert "audience" in messages
    assert "unknown scale 'nope'" in messages
    assert "is used twice" in messages
    assert "missing text in en" in messages


def test_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_bytes(b"code: [unclosed")
    with pytest.raises(qs.QuestionnaireError, match="broken.yaml: cannot be read"):
        qs.read_file(path)
