"""`neurogarden demo` and `neurogarden serve`: the web app on the configured database.

The web stack is imported inside the commands only, so other commands start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from neurogarden.cli.errors import fail_input

if TYPE_CHECKING:
    from neurogarden.clinic.database import Database


def _database() -> Database:
    from sqlalchemy.exc import OperationalError

    from neurogarden.clinic.database import Database

    database = Database()
    try:
        database.migrate()
    except OperationalError as exc:
        fail_input(f"database: {str(exc.orig).strip().splitlines()[0]}")
    return database


def _raise_alerts(database: Database) -> None:
    """When the knowledge changed since the stored alerts were raised, raise them again
    for every patient before anyone is served (with progress: it plans each one)."""
    from rich.progress import track

    from neurogarden.clinic.refresh import refresh_alerts, stale_patients

    pairs = stale_patients(database)
    if pairs:
        refresh_alerts(
            database,
            pairs,
            lambda p: track(p, description="Raising alerts against the current knowledge"),
        )


def _rebuild_standings(database: Database) -> None:
    """When the outcome rules changed since each patient's standing was stored (or
    none was ever built), build them again before anyone is served."""
    from rich.progress import Progress

    from neurogarden.clinic import records, standings

    if not standings.is_stale(database):
        return
    with Progress(transient=True) as bar:
        task = bar.add_task("Building each patient's outcome standing", total=None)
        standings.rebuild(
            database,
            records.catalogue().instruments.values(),
            lambda done: bar.update(task, completed=done),
        )


def _refresh(database: Database) -> None:
    _rebuild_standings(database)
    _raise_alerts(database)


def demo_command() -> None:
    """Load the demo clinic (idempotent) and print its logins."""
    from neurogarden.clinic.demo import load_demo, logins_text

    database = _database()
    created = load_demo(database)
    _refresh(database)
    database.dispose()
    typer.echo("Demo clinic loaded." if created else "Demo clinic already present; left as it is.")
    typer.echo(logins_text())


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Worker processes (PostgreSQL for a busy clinic; see README)."
    ),
) -> None:
    """Serve the web app. Put it behind HTTPS before exposing it beyond this machine:
    session cookies are marked Secure."""
    import uvicorn

    from neurogarden.web.app import create_app

    database = _database()  # migrated once, here, before any worker starts
    _refresh(database)
    typer.echo(f"neurogarden on http://{host}:{port}/ with {workers} worker(s) (Ctrl+C stops)")
    if workers == 1:
        uvicorn.run(create_app(database, migrate=False), host=host, port=port, log_level="warning")
        return
    database.dispose()
    uvicorn.run(
        "neurogarden.web.app:serving_app", factory=True, workers=workers, host=host, port=port,
        log_level="warning",
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
    app.command("serve")(serve_command)
