"""The profile editor's form, to and from the profile document the core validates.

Field names follow the profile's own paths (`medications[0].name`), so an error the
core raises at `medications[0].times[1]` is shown beside the input it came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

GOALS = (
    "sleep",
    "learning",
    "energy",
    "mood",
    "anxiety",
    "constipation",
    "kap_integration",
    "recovery",
    "general",
)
ROWS: dict[str, tuple[str, ...]] = {
    "medications": ("name", "dose", "times"),
    "supplements": ("name", "amount", "times"),
    "substances": ("name", "amount", "frequency"),
    "diet": ("food", "amount"),
}
LISTS = {"times", "conditions", "study", "meals", "avoid"}  # comma-separated in the form
BLANK_ROWS = 2
_ROW = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def document_from_form(form: Mapping[str, str], keep: Mapping[str, Any] | None) -> dict[str, Any]:
    """The profile document a submitted form describes; overrides and options, which
    have their own forms, are carried over from the stored document `keep` (sessions
    are records of their own)."""
    person: dict[str, Any] = {"sex": form.get("person.sex", "")}
    for key, kind in (("age", int), ("egfr", float)):
        value = form.get(f"person.{key}", "").strip()
        if value:
            person[key] = _number(value, kind)
    for key in ("pregnant", "lactating"):
        if form.get(f"person.{key}"):
            person[key] = True
    weight = form.get("person.weight", "").strip()
    if weight:
        person["weight"] = weight
    conditions = _split(form.get("person.conditions", ""))
    if conditions:
        person["conditions"] = conditions
    doc: dict[str, Any] = {"person": person}
    timezone = form.get("timezone", "").strip()
    if timezone:
        doc["timezone"] = timezone
    goals = [g for g in GOALS if form.get(f"goals.{g}")]
    if goals:
        doc["goals"] = goals
    routine: dict[str, Any] = {}
    for key in ("wake", "bed"):
        if form.get(f"routine.{key}", "").strip():
            routine[key] = form[f"routine.{key}"].strip()
    for key in ("study", "meals"):
        items = _split(form.get(f"routine.{key}", ""))
        if items:
            routine[key] = items
    if routine:
        doc["routine"] = routine
    rows: dict[str, dict[int, dict[str, Any]]] = {section: {} for section in ROWS}
    for name, value in form.items():
        match = _ROW.match(name)
        if not match or match[1] not in ROWS or not value.strip():
            continue
        section, index, key = match[1], int(match[2]), match[3]
        rows[section].setdefault(index, {})[key] = _split(value) if key in LISTS else value.strip()
    for section, found in rows.items():
        entries = [found[i] for i in sorted(found)]
        if entries:
            doc[section] = entries
    avoid = _split(form.get("avoid", ""))
    if avoid:
        doc["avoid"] = avoid
    for carried in ("overrides", "options"):
        if keep and keep.get(carried):
            doc[carried] = keep[carried]
    return doc


def form_from_document(doc: Mapping[str, Any] | None) -> dict[str, str]:
    """Flat form values for the editor, rows renumbered from 0 in document order."""
    if not doc:
        return {}
    values: dict[str, str] = {}
    person = doc.get("person", {})
    for key in ("sex", "age", "egfr", "weight"):
        if person.get(key) is not None:
            values[f"person.{key}"] = str(person[key])
    for key in ("pregnant", "lactating"):
        if person.get(key):
            values[f"person.{key}"] = "on"
    values["person.conditions"] = ", ".join(person.get("conditions", ()))
    if doc.get("timezone"):
        values["timezone"] = str(doc["timezone"])
    for goal in doc.get("goals", ()):
        values[f"goals.{goal}"] = "on"
    routine = doc.get("routine", {})
    for key in ("wake", "bed"):
        if routine.get(key):
            values[f"routine.{key}"] = str(routine[key])
    for key in ("study", "meals"):
        values[f"routine.{key}"] = ", ".join(routine.get(key, ()))
    for section, keys in ROWS.items():
        for i, entry in enumerate(doc.get(section, ())):
            for key in keys:
                value = entry.get(key)
                if value is None:
                    continue
                text = ", ".join(value) if isinstance(value, list | tuple) else str(value)
                values[f"{section}[{i}].{key}"] = text
    values["avoid"] = ", ".join(doc.get("avoid", ()))
    return values


def row_count(values: Mapping[str, str], section: str) -> int:
    """Rows to show for a section: those filled in plus a few blank ones."""
    indexes = [int(m[2]) for name in values if (m := _ROW.match(name)) and m[1] == section]
    return (max(indexes) + 1 if indexes else 0) + BLANK_ROWS


def input_for_error(field: str) -> str:
    """The form input an error path belongs to: `medications[0].times[1]` → its times box."""
    field = re.sub(r"\[\d+\]$", "", field)
    if field.startswith("goals"):
        return "goals"
    return field


def _number(text: str, kind: type[int] | type[float]) -> object:
    """A form's number as a number; text that is not one goes on as text, for the
    profile's schema to refuse at its field."""
    try:
        return kind(text)
    except ValueError:
        return text
