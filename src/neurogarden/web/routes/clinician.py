"""The clinician's pages: the dashboard, a patient's record, the profile editor,
sessions, a printable plan and CSV exports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import (
    actions,
    alerts,
    care_team,
    directory,
    measures,
    outcomes,
    patient_state,
    records,
    recovery,
    sessions,
)
from neurogarden.clinic import dashboard as dashboard_view
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.visit import PatientVisit, SignedInVisit
from neurogarden.render import csv_files
from neurogarden.render.score_charts import clinic_chart
from neurogarden.web import forms
from neurogarden.web.policy import CARE_VISIT, CLINICIAN_VISIT
from neurogarden.web.templating import FORM_ERROR_STATUS, form_fields, page

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
def dashboard(
    request: Request,
    access: Annotated[SignedInVisit, CLINICIAN_VISIT],
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    view = dashboard_view.dashboard(access, page_number)
    shown = (
        {view.patients[a.patient_id].public_id for a in view.alerts}
        | {item.patient.public_id for item in view.today}
        | {line.patient.public_id for line in view.lines}
    )
    access.shown(sorted(shown))
    return page(request, "dashboard.html", access, view=view)


@router.post("/patients/search")
def search_patients(
    request: Request,
    access: Annotated[SignedInVisit, CLINICIAN_VISIT],
    name: Annotated[str, Form()] = "",
) -> Response:
    """A POST, so that a patient's name never lands in an address, a log or history."""
    found = dashboard_view.search_patients(access, name)
    if isinstance(found, Rejected):
        return page(
            request, "patient_search.html", access, status=FORM_ERROR_STATUS,
            search=None, text=name[:200], error=found.text(last_part=True),
        )  # fmt: skip
    return page(request, "patient_search.html", access, search=found, text=found.text, error=None)


@router.get("/clinic/charts/phq9.svg")
def clinic_chart_svg(
    access: Annotated[SignedInVisit, CLINICIAN_VISIT],
) -> Response:
    summary = outcomes.clinic_outcomes(access)
    chart = clinic_chart(records.phq9(), summary)
    return Response(chart.data, media_type="image/svg+xml")


@router.get("/clinic/outcomes.csv")
def clinic_outcomes_csv(
    access: Annotated[SignedInVisit, CLINICIAN_VISIT],
) -> Response:
    summary, lines = outcomes.clinic_outcomes(access), outcomes.outcome_lines(access)
    access.shown([line.patient for line in lines])
    return _csv(csv_files.outcomes_csv(summary, lines), "clinic-outcomes.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/patients/new")
def new_patient_form(
    request: Request, access: Annotated[SignedInVisit, CLINICIAN_VISIT]
) -> Response:
    return page(request, "patient_new.html", access, error=None)


@router.post("/patients")
def create_patient(
    request: Request,
    access: Annotated[SignedInVisit, CLINICIAN_VISIT],
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    patient = directory.add_patient(access, display_name)
    if isinstance(patient, Rejected):
        error = patient.text()
        return page(request, "patient_new.html", access, status=FORM_ERROR_STATUS, error=error)
    return RedirectResponse(f"/patients/{patient.public_id}", status_code=303)


def patient_page(
    request: Request,
    access: PatientVisit,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    session_error: dict[str, str] | None = None,
    session_change_error: dict[str, str] | None = None,
    override_error: dict[str, str] | None = None,
    account_error: str | None = None,
    recovery_error: str | None = None,
    alert_error: dict[str, str] | None = None,
    team_error: str | None = None,
    measure_error: tuple[str, str] | None = None,
    status: int = 200,
) -> Response:
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    history = alerts.shown_on_record(access, state)
    values = values if values is not None else forms.form_from_document(state.document)
    charts = [  # instruments with response/remission rules; COWS is on the recovery timeline
        (definition, records.series(definition, access.patient, state.responses))
        for iid in records.SELF_REPORT
        if (definition := records.instrument(iid)) is not None and definition.outcomes
    ]
    return page(
        request,
        "patient.html",
        access,
        status=status,
        state=state,
        values=values,
        errors=errors or {},
        rows={section: forms.row_count(values, section) for section in forms.ROWS},
        goals=forms.GOALS,
        routes=sessions.ROUTES,
        charts=[(d, s) for d, s in charts if s.points],
        instruments=[records.instrument(i) for i in records.CLINICIAN_RATED],
        account=directory.login_of(access),
        session_error=session_error or {},
        session_change_error=session_change_error or {},
        windows={w.session.id: w for w in state.plan.windows} if state.plan else {},
        zone=access.zone,
        now=datetime.now(UTC),
        override_error=override_error or {},
        account_error=account_error,
        recovery=state.recovery,
        recovery_error=recovery_error,
        today_iso=access.today.isoformat(),
        attendance_kinds=recovery.ATTENDANCE_KINDS,
        kb=records.kb(),
        alerts=history,
        alert_error=alert_error or {},
        team=care_team.team(access),
        team_candidates=care_team.clinicians_to_add(access),
        team_error=team_error,
        schedule=measures.schedule_for(access.db, state, access.clinic, datetime.now(UTC)),
        titles={i: d.short_title for i in records.SELF_REPORT if (d := records.instrument(i))},
        measure_error=measure_error,
    )


@router.get("/patients/{pid}")
def patient_record(
    request: Request, pid: str, access: Annotated[PatientVisit, CARE_VISIT]
) -> Response:
    return patient_page(request, access)


@router.post("/patients/{pid}/profile")
def save_profile(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, CARE_VISIT],
    form: Annotated[dict[str, str], Depends(form_fields)],
) -> Response:
    stored = directory.latest_profile(access)
    document = forms.document_from_form(form, stored.document if stored else None)
    result = actions.save_profile(access, document)
    if isinstance(result, Rejected):
        errors = {forms.input_for_error(e.field): e.message for e in reversed(result.errors)}
        return patient_page(request, access, values=form, errors=errors, status=FORM_ERROR_STATUS)
    return RedirectResponse(f"/patients/{pid}#plan", status_code=303)


@router.get("/patients/{pid}/plan/print")
def printable_plan(
    request: Request, pid: str, access: Annotated[PatientVisit, CARE_VISIT]
) -> Response:
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    return page(request, "plan_print.html", access, state=state, kb=records.kb())


@router.get("/patients/{pid}/export.csv")
def patient_csv(pid: str, access: Annotated[PatientVisit, CARE_VISIT]) -> Response:
    """One file a clinician can keep: plan lines, findings, scores and recovery entries."""
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    scores = [
        csv_files.ScoreLine(r.taken_at.date(), r.instrument_id, r.total, r.flagged)
        for r in state.responses
    ]
    entries = [
        csv_files.RecoveryLine(
            e.day,
            e.kind,
            e.amount or (e.rating if e.rating is not None else e.attended),
            e.substance or e.attendance_kind or "",
        )
        for e in directory.recovery_entries(access)
    ]
    text = csv_files.patient_csv(state.plan, scores, entries)
    return _csv(text, f"patient-{pid}.csv")
