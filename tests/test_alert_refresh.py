"""Alerts follow the knowledge: when the packaged knowledge differs from the version a
database's alerts were raised against, `serve` and `demo` raise every patient's alerts
again before anyone is served. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from neurogarden.clinic.refresh import KNOWLEDGE_KEY, refresh_alerts, stale_patients
from neurogarden.kb.compiled import code_fingerprint, data_fingerprint
from neurogarden.kb.load import packaged_fingerprint
from webkit import World

pytest_plugins = ("webkit",)


def unresolved(world: World) -> int:
    with world.database.engine.connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM alerts WHERE state <> 'resolved'")).scalar()
            or 0
        )


def test_alerts_hidden_by_a_knowledge_change_are_raised_again(world: World) -> None:
    raised = unresolved(world)
    assert raised >= 3  # the demo's crisis, block and recovery alerts
    with world.database.engine.begin() as conn:  # as if raised before today's rules existed
        conn.execute(text("DELETE FROM alert_events"))
        conn.execute(text("DELETE FROM alerts WHERE kind <> 'crisis'"))
        conn.execute(
            text("INSERT INTO meta (key, value) VALUES (:k, 'older-knowledge')"),
            {"k": KNOWLEDGE_KEY},
        )
    assert unresolved(world) < raised
    pairs = stale_patients(world.database)
    assert len(pairs) == 13  # every patient of both demo clinics
    assert refresh_alerts(world.database, pairs) == 13
    assert unresolved(world) == raised
    with world.database.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT value FROM meta WHERE key = :k"), {"k": KNOWLEDGE_KEY}
        ).scalar()
    assert stored == packaged_fingerprint()
    assert stale_patients(world.database) == []  # the same knowledge: nothing to do


def test_the_fingerprint_changes_with_any_knowledge_file(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("a: 1\n")
    before = data_fingerprint(tmp_path)
    (tmp_path / "rules.yaml").write_text("a: 2\n")
    assert data_fingerprint(tmp_path) != before


def test_the_stored_key_covers_the_code_that_applies_the_rules() -> None:
    from neurogarden.kb import load

    assert "clinic/standings.py" in load.RULE_CODE and "planning/*.py" in load.RULE_CODE
    assert packaged_fingerprint() != data_fingerprint()
    assert code_fingerprint(("planning/*.py",)) != code_fingerprint(("kap/*.py",))
