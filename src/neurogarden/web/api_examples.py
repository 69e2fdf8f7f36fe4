"""A worked example for each write of the API, in its OpenAPI schema: what a client
author copies first, and what schemathesis sends before it improvises. Dates are
relative to the day the schema is served (a session a month ahead, a craving
yesterday, which is past in every time zone), so that an example never ages into a
refused one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

PHQ9_ANSWERS = {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 0, "difficulty": 1}


def examples(today: date) -> dict[tuple[str, str], dict[str, Any]]:
    """(path, method) -> an example body that the demo clinic's records accept."""
    soon = datetime.combine(today + timedelta(days=30), time(15, 0), tzinfo=UTC).isoformat()
    later = datetime.combine(today + timedelta(days=32), time(15, 0), tzinfo=UTC).isoformat()
    return {
        ("/api/patients", "post"): {"display_name": "Alex Example"},
        ("/api/patients/{pid}/profile", "put"): {
            "person": {"sex": "female", "age": 40, "weight": "68 kg"},
            "timezone": "America/New_York",
            "goals": ["sleep"],
            "medications": [{"name": "sertraline", "dose": "50 mg", "times": ["08:00"]}],
        },
        ("/api/patients/{pid}/sessions", "post"): {
            "start": soon,
            "route": "sublingual",
            "setting": "clinic",
        },
        ("/api/patients/{pid}/sessions/{sid}/move", "post"): {
            "start": later,
            "note": "moved at the patient's request",
        },
        ("/api/patients/{pid}/sessions/{sid}/cancel", "post"): {"note": "the patient is unwell"},
        ("/api/patients/{pid}/responses", "post"): {
            "instrument": "phq9",
            "answers": PHQ9_ANSWERS,
        },
        ("/api/patients/{pid}/recovery", "post"): {
            "kind": "craving",
            "day": (today - timedelta(days=1)).isoformat(),
            "rating": 4,
        },
    }


PROFILE_PREFIX = "Profile"  # the profile's models, apart from the API's own of the same name


def with_profile_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The profile body is read as a free mapping (so that every error, of shape and of
    knowledge, is reported at once, at its field), but its shape is the profile
    contract: the schema says so, with every bound the core enforces on shape."""
    from neurogarden.profile.schema import ProfileIn

    shape = ProfileIn.model_json_schema(
        ref_template=f"#/components/schemas/{PROFILE_PREFIX}{{model}}"
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in shape.pop("$defs", {}).items():
        components[f"{PROFILE_PREFIX}{name}"] = definition
    components[f"{PROFILE_PREFIX}In"] = shape
    operation = schema.get("paths", {}).get("/api/patients/{pid}/profile", {}).get("put")
    if operation is not None:
        body = operation["requestBody"]["content"]["application/json"]
        body["schema"] = {"$ref": f"#/components/schemas/{PROFILE_PREFIX}In"}
    return schema


def with_examples(schema: dict[str, Any], today: date) -> dict[str, Any]:
    """The schema with each example set on its operation's JSON request body."""
    for (path, method), body in examples(today).items():
        operation = schema.get("paths", {}).get(path, {}).get(method)
        if operation is None:
            continue
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            content["application/json"]["example"] = body
    return schema
