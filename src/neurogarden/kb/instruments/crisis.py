"""Crisis resources per locale, attached to urgent safety flags.

The numbers are data (kb/data/instruments/crisis_resources.yaml) so a clinic can add
its own locale without touching code; the US 988 Lifeline is the default.

Each resource carries the digits to dial (`tel`) and, only for a line that really
answers text messages, the number to text (`sms`), so a patient-facing page can offer
tappable `tel:` / `sms:` links. Exactly one resource per locale is the emergency number
(`emergency: true`), so the page can show it first or apart. `patient_message` is what
the patient reads after answering that they have had thoughts of self-harm.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from neurogarden.kb.instruments.models import Citation, Frozen

# Digits only, optionally after a leading "+" (E.164 allows at most 15 digits).
DIAL_PATTERN = re.compile(r"^\+?[0-9]{3,15}$")


class CrisisResource(Frozen):
    name: str
    contact: str  # free text shown as is, e.g. "Call or text 988"
    tel: str  # the digits a tel: URI dials: "988", "116123", "000"
    sms: str | None = None  # the number that takes texts; None when the line does not
    emergency: bool = False  # the emergency-services number of the locale
    url: str | None = None
    hours: str | None = None

    @field_validator("tel", "sms")
    @classmethod
    def _dialable(cls, number: str | None) -> str | None:
        if number is not None and not DIAL_PATTERN.fullmatch(number):
            raise ValueError(
                f"{number!r} is not a dialable number: use digits only "
                "(3 to 15, an optional leading +), no spaces or letters"
            )
        return number

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.tel}"

    @property
    def sms_uri(self) -> str | None:
        return f"sms:{self.sms}" if self.sms is not None else None


class LocaleResources(Frozen):
    locale: str = Field(pattern=r"^[a-z]{2}-[A-Z]{2}$")
    region: str
    resources: tuple[CrisisResource, ...] = Field(min_length=1)
    patient_message: str = Field(min_length=20)
    source: Citation

    @model_validator(mode="after")
    def _one_emergency_number(self) -> LocaleResources:
        count = sum(r.emergency for r in self.resources)
        if count != 1:
            raise ValueError(
                f"{self.locale}: resources need exactly one `emergency: true` entry, found {count}"
            )
        return self

    @property
    def emergency(self) -> CrisisResource:
        """The emergency-services entry (exactly one, guaranteed by the validator)."""
        return next(r for r in self.resources if r.emergency)

    @property
    def lines(self) -> tuple[CrisisResource, ...]:
        """The crisis lines other than the emergency number, in file order."""
        return tuple(r for r in self.resources if not r.emergency)


class CrisisDirectory(Frozen):
    default_locale: str
    locales: tuple[LocaleResources, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_exists(self) -> CrisisDirectory:
        if self.default_locale not in {loc.locale for loc in self.locales}:
            raise ValueError(f"default_locale {self.default_locale} has no entry")
        return self

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(loc.locale for loc in self.locales)

    def for_locale(self, locale: str | None) -> LocaleResources | None:
        """Match `en-US`, `en_us` or a bare region such as `US`; None when unknown."""
        wanted = (locale or self.default_locale).replace("_", "-").lower()
        for entry in self.locales:
            if wanted in (entry.locale.lower(), entry.locale.split("-")[1].lower()):
                return entry
        return None

    @property
    def default(self) -> LocaleResources:
        entry = self.for_locale(self.default_locale)
        assert entry is not None  # guaranteed by the validator
        return entry
