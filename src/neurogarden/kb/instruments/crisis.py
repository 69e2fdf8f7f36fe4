"""Crisis resources per locale, attached to urgent safety flags.

The numbers are data (kb/data/instruments/crisis_resources.yaml) so a clinic can add
its own locale without touching code; the US 988 Lifeline is the default.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from neurogarden.kb.instruments.models import Citation, Frozen


class CrisisResource(Frozen):
    name: str
    contact: str
    url: str | None = None
    hours: str | None = None


class LocaleResources(Frozen):
    locale: str = Field(pattern=r"^[a-z]{2}-[A-Z]{2}$")
    region: str
    resources: tuple[CrisisResource, ...] = Field(min_length=1)
    source: Citation


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
