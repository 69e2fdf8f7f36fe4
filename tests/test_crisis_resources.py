"""The packaged crisis directory: dialable numbers for tel:/sms: links, one emergency entry
per locale, and a plain-words message for the patient. Values are the ones re-read at
source (see the comments in kb/data/instruments/crisis_resources.yaml)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from neurogarden.kb.instruments.crisis import CrisisDirectory, CrisisResource, LocaleResources
from neurogarden.kb.instruments.loader import default_catalogue

LOCALES = ("en-US", "en-CA", "en-GB", "en-AU")
# locale -> (crisis line tel, its sms or None, emergency tel)
EXPECTED = {
    "en-US": ("988", "988", "911"),
    "en-CA": ("988", "988", "911"),
    "en-GB": ("116123", None, "999"),
    "en-AU": ("131114", "0477131114", "000"),
}
JARGON = ("PHQ", "item 9", "C-SSRS", "assessment")


def directory() -> CrisisDirectory:
    crisis = default_catalogue().crisis
    assert crisis is not None
    return crisis


def locale(code: str) -> LocaleResources:
    entry = directory().for_locale(code)
    assert entry is not None, code
    return entry


def test_the_four_locales_are_present_and_us_is_the_default() -> None:
    assert set(directory().known) == set(LOCALES)
    assert directory().default.locale == "en-US"


def test_us_988_is_called_and_texted_at_988() -> None:
    line = locale("en-US").resources[0]
    assert line.name == "988 Suicide & Crisis Lifeline"
    assert (line.tel, line.sms) == ("988", "988")
    assert (line.tel_uri, line.sms_uri) == ("tel:988", "sms:988")
    assert not line.emergency


def test_us_911_is_the_emergency_entry_and_takes_no_texts() -> None:
    emergency = locale("en-US").emergency
    assert emergency.tel == "911" and emergency.emergency
    assert emergency.sms is None and emergency.sms_uri is None
    assert emergency.tel_uri == "tel:911"


@pytest.mark.parametrize("code", LOCALES)
def test_each_locale_has_exactly_one_emergency_entry_with_a_tel(code: str) -> None:
    entry = locale(code)
    emergencies = [r for r in entry.resources if r.emergency]
    assert len(emergencies) == 1
    assert emergencies[0] is entry.emergency
    assert emergencies[0].tel == EXPECTED[code][2]
    assert emergencies[0].sms is None  # no emergency number here takes ordinary texts
    assert entry.lines and all(not r.emergency for r in entry.lines)


@pytest.mark.parametrize("code", LOCALES)
def test_the_crisis_line_numbers_are_the_verified_ones(code: str) -> None:
    tel, sms, _ = EXPECTED[code]
    line = locale(code).resources[0]  # the crisis line comes first, the flag shows it first
    assert (line.tel, line.sms) == (tel, sms)
    assert line.hours == "24/7"


def test_samaritans_offers_no_sms_link_and_lifeline_texts_a_mobile_number() -> None:
    samaritans = locale("en-GB").resources[0]
    assert samaritans.sms is None and samaritans.sms_uri is None
    assert samaritans.tel_uri == "tel:116123"
    lifeline = locale("en-AU").resources[0]
    assert lifeline.tel_uri == "tel:131114" and lifeline.sms_uri == "sms:0477131114"


@pytest.mark.parametrize("code", LOCALES)
def test_every_number_is_dialable(code: str) -> None:
    for res in locale(code).resources:
        for number in (res.tel, res.sms):
            if number is not None:
                assert number.lstrip("+").isdigit(), (code, res.name, number)


@pytest.mark.parametrize("code", LOCALES)
def test_the_patient_message_is_plain_and_names_the_emergency_number(code: str) -> None:
    entry = locale(code)
    message = entry.patient_message
    assert message.strip()
    for word in JARGON:
        assert word.lower() not in message.lower(), (code, word)
    assert entry.emergency.tel in message  # "if you are in danger now, please call 911"
    assert "care team" in message and "not alone" in message
    # no promised response time
    for word in ("today", "hour", "minute", "within", "soon", "shortly"):
        assert word not in message.lower(), (code, word)


def test_verification_is_raised_only_where_an_official_page_was_read() -> None:
    assert {code: locale(code).source.verification.value for code in LOCALES} == {
        "en-US": "V",
        "en-CA": "S",
        "en-GB": "V",
        "en-AU": "S",
    }


def _resource(**changes: Any) -> dict[str, Any]:
    return {"name": "Test line", "contact": "Call 988", "tel": "988"} | changes


def _locale(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "locale": "en-US",
        "region": "United States",
        "resources": resources,
        "patient_message": "Your care team has been told. If you are in danger now, call 911.",
        "source": {"citation": "A test source", "original": True, "verification": "C"},
    }


def test_a_tel_with_a_letter_is_refused_at_load() -> None:
    raw = _locale([_resource(tel="98a"), _resource(tel="911", emergency=True)])
    with pytest.raises(ValidationError) as caught:
        LocaleResources.model_validate(raw)
    errors = caught.value.errors()
    assert [e["loc"] for e in errors] == [("resources", 0, "tel")]
    assert "'98a'" in errors[0]["msg"]


@pytest.mark.parametrize("bad", ["", "988 ", "9-8-8", "+", "1 800 273 8255", "٩٨٨"])
def test_a_tel_or_sms_that_is_not_plain_digits_is_refused(bad: str) -> None:
    for field in ("tel", "sms"):
        with pytest.raises(ValidationError) as caught:
            CrisisResource.model_validate(_resource(**{field: bad}))
        assert caught.value.errors()[0]["loc"] == (field,)


def test_a_leading_plus_is_allowed() -> None:
    res = CrisisResource.model_validate(_resource(tel="+61477131114", sms="+61477131114"))
    assert res.tel_uri == "tel:+61477131114" and res.sms_uri == "sms:+61477131114"


def test_a_resource_without_a_tel_is_refused() -> None:
    raw = _resource()
    del raw["tel"]
    with pytest.raises(ValidationError) as caught:
        CrisisResource.model_validate(raw)
    assert caught.value.errors()[0]["loc"] == ("tel",)
    assert caught.value.errors()[0]["type"] == "missing"


def test_a_locale_without_a_patient_message_is_refused() -> None:
    raw = _locale([_resource(tel="911", emergency=True)])
    del raw["patient_message"]
    with pytest.raises(ValidationError, match="patient_message"):
        LocaleResources.model_validate(raw)


@pytest.mark.parametrize("flags", [(False, False), (True, True)])
def test_a_locale_needs_exactly_one_emergency_entry(flags: tuple[bool, bool]) -> None:
    raw = _locale([_resource(emergency=flags[0]), _resource(tel="911", emergency=flags[1])])
    with pytest.raises(ValidationError, match="exactly one `emergency: true`"):
        LocaleResources.model_validate(raw)


def test_the_models_are_frozen() -> None:
    line = locale("en-US").resources[0]
    with pytest.raises(ValidationError):
        line.tel = "911"  # type: ignore[misc]
