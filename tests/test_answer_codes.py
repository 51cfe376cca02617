"""Single-use answer codes: created from the command line or the service, each answers once, guesses are throttled."""
import re

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import CollectionLink, Response
from surveyapp.services.collection import responses
from surveyapp.services.collection.links import ALPHABET, CODE_SLUG_LENGTH

KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


def _post(client, slug, key=None):
    if key is None:
        page = client.get(f"/s/{slug}?new=1")
        key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    data = {"idempotency_key": key, **{f"item_{code}": "5" for code in KEY_ITEMS}}
    return client.post(f"/s/{slug}", data=data), key


def _responses():
    return db.session.scalar(select(func.count()).select_from(Response))


def test_codes_command_prints_one_code_and_url_a_line(runner, make_round):
    round_ = make_round()
    result = runner.invoke(args=["codes", "--round", str(round_.id), "--unit", "H-A1", "--count", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 5
    for line in lines:
        code, url = line.split(" ")
        assert len(code) == CODE_SLUG_LENGTH and set(code) <= set(ALPHABET)
        assert url == f"http://surveyapp.test/s/{code}"
    stored = db.session.scalars(select(CollectionLink).where(CollectionLink.kind == "code")).all()
    assert sorted(link.slug for link in stored) == sorted(line.split(" ")[0] for line in lines)
    assert all(link.unit.code == "H-A1" and not link.used for link in stored)


@pytest.mark.parametrize("args, message", [
    (["--round", "999", "--unit", "H-A1", "--count", "2"], "no round with id 999"),
    (["--unit", "NOPE", "--count", "2"], "no unit with code NOPE"),
    (["--unit", "H", "--count", "2"], "H does not take part in round"),
    (["--unit", "H-A1", "--count", "0"], "0 is not in the range"),
])
def test_codes_command_refuses_bad_input(runner, make_round, args, message):
    round_ = make_round()
    if "--round" not in args:
        args = ["--round", str(round_.id), *args]
    result = runner.invoke(args=["codes", *args])
    assert result.exit_code != 0 and message in result.output


def test_a_code_answers_once_and_a_second_use_gets_a_clear_message(client, make_round, make_org):
    round_ = make_round()
    code = responses.create_codes(round_, round_.units[0], 1)[0]
    db.session.commit()
    first, key = _post(client, code.slug)
    assert first.status_code == 303
    assert db.session.get(CollectionLink, code.id).used is True
    again, _ = _post(client, code.slug, key)  # the same form again: the thank-you page, not an error
    assert again.status_code == 303
    assert "Tak for din besvarelse" in client.get(f"/s/{code.slug}").get_data(as_text=True)  # back button
    page = client.get(f"/s/{code.slug}?new=1")
    assert page.status_code == 410 and "Denne svarkode er allerede brugt" in page.get_data(as_text=True)
    other = client.post(f"/s/{code.slug}", data={"idempotency_key": responses.new_idempotency_key(),
                                                 **{f"item_{c}": "5" for c in KEY_ITEMS}})
    assert other.status_code == 410 and "Denne svarkode er allerede brugt" in other.get_data(as_text=True)
    assert _responses() == 1


def test_one_code_open_on_two_phones_stores_only_the_first(app, make_round):
    round_ = make_round()
    code = responses.create_codes(round_, round_.units[0], 1)[0]
    db.session.commit()
    phones = [app.test_client(), app.test_client()]
    keys = []
    for phone in phones:
        html = phone.get(f"/s/{code.slug}").get_data(as_text=True)
        keys.append(re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1))
    data = {f"item_{c}": "5" for c in KEY_ITEMS}
    assert phones[0].post(f"/s/{code.slug}", data={**data, "idempotency_key": keys[0]}).status_code == 303
    second = phones[1].post(f"/s/{code.slug}", data={**data, "idempotency_key": keys[1]})
    assert second.status_code == 410 and "Denne svarkode er allerede brugt" in second.get_data(as_text=True)
    assert phones[0].get(f"/s/{code.slug}").status_code == 200  # its own back button: thanks again
    assert _responses() == 1


def test_codes_are_random_with_at_least_60_bits(make_round):
    round_ = make_round()
    codes = {link.slug for link in responses.create_codes(round_, round_.units[0], 200)}
    assert len(codes) == 200
    assert len(ALPHABET) == 32 and CODE_SLUG_LENGTH * 5 >= 60  # 5 bits a character
    # Every character of the alphabet turns up in 200 codes x 12 characters (fails by chance about 1e-30).
    assert set("".join(codes)) == set(ALPHABET)


class TestThrottling:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_failed_code_tries_are_throttled(self, client, make_round):
        round_ = make_round()
        code = responses.create_codes(round_, round_.units[0], 1)[0]
        db.session.commit()
        statuses = [client.get(f"/s/guess{n:04d}").status_code for n in range(20)]
        assert statuses == [404] * 20
        assert client.get("/s/guess9999").status_code == 429
        # Once throttled, even a right guess is refused until the window passes.
        assert client.get(f"/s/{code.slug}").status_code == 429

    def test_successful_answers_are_not_throttled(self, client, make_round):
        round_ = make_round()
        slug = round_.links[0].slug
        for _ in range(25):
            assert _post(client, slug)[0].status_code == 303
