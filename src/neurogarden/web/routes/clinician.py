"""The clinician's pages: the dashboard, a patient's record, the profile editor,
sessions, a printable plan and CSV exports."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import actions, directory, outcomes, patient_state, records, recovery
from neurogarden.clinic.actions import Rejected
from neurogarden.render import csv_files
from neurogarden.render.score_charts import clinic_chart
from neurogarden.web import forms
from neurogarden.web.policy import CARE, CLINICIAN, Access
from neurogarden.web.templating import FORM_ERROR_STATUS, form_fields, page

router = APIRouter(include_in_schema=False)

ROUTES = ("iv", "im", "sublingual", "oral", "intranasal")


@router.get("/dashboard")
def dashboard(request: Request, access: Annotated[Access, Depends(CLINICIAN)]) -> Response:
    clinic = access.clinic
    assert clinic is not None
    states = outcomes.dashboard_states(access.db, clinic)
    summary, _ = outcomes.clinic_outcomes(access.db, clinic, states)
    for state in states:  # the dashboard shows every patient's name and alerts: audit it
        access.audit("ok", patient_id=state.patient.public_id)
    access.db.commit()
    return page(request, "dashboard.html", access, states=states, summary=summary)


@router.get("/clinic/charts/phq9.svg")
def clinic_chart_svg(access: Annotated[Access, Depends(CLINICIAN)]) -> Response:
    assert access.clinic is not None
    summary, _ = outcomes.clinic_outcomes(access.db, access.clinic)
    definition = records.instrument("phq9")
    assert definition is not None
    chart = clinic_chart(definition, summary)
    return Response(chart.data, media_type="image/svg+xml")


@router.get("/clinic/outcomes.csv")
def clinic_outcomes_csv(access: Annotated[Access, Depends(CLINICIAN)]) -> Response:
    assert access.clinic is not None
    summary, rows = outcomes.clinic_outcomes(access.db, access.clinic)
    for row in rows:
        access.audit("ok", patient_id=row.patient.public_id)
    lines = [csv_files.OutcomeLine(r.patient.public_id, r.protocol, r.series) for r in rows]
    text = csv_files.outcomes_csv(summary, lines)
    access.db.commit()
    return _csv(text, "clinic-outcomes.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/patients/new")
def new_patient_form(request: Request, access: Annotated[Access, Depends(CLINICIAN)]) -> Response:
    return page(request, "patient_new.html", access, error=None)


@router.post("/patients")
def create_patient(
    request: Request,
    access: Annotated[Access, Depends(CLINICIAN)],
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    assert access.clinic is not None
    patient = directory.add_patient(access.db, access.clinic, display_name)
    if isinstance(patient, Rejected):
        error = patient.text()
        return page(request, "patient_new.html", access, status=FORM_ERROR_STATUS, error=error)
    access.patient = patient
    access.audited = True
    access.commit()
    return RedirectResponse(f"/patients/{patient.public_id}", status_code=303)


def patient_page(
    request: Request,
    access: Access,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    session_error: dict[str, str] | None = None,
    override_error: dict[str, str] | None = None,
    account_error: str | None = None,
    recovery_error: str | None = None,
    status: int = 200,
) -> Response:
    assert access.patient is not None
    state = patient_state.load_state(access.db, access.patient, access.clinic)
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
        routes=ROUTES,
        charts=[(d, s) for d, s in charts if s.points],
        instruments=[records.instrument(i) for i in records.CLINICIAN_RATED],
        account=directory.login_of(access.db, access.patient),
        session_error=session_error or {},
        override_error=override_error or {},
        account_error=account_error,
        recovery=state.recovery,
        recovery_error=recovery_error,
        today_iso=records.clinic_today(access.clinic).isoformat(),
        attendance_kinds=recovery.ATTENDANCE_KINDS,
        kb=records.kb(),
    )


@router.get("/patients/{pid}")
def patient_record(
    request: Request, pid: str, access: Annotated[Access, Depends(CARE)]
) -> Response:
    return patient_page(request, access)


@router.post("/patients/{pid}/profile")
def save_profile(
    request: Request,
    pid: str,
    access: Annotated[Access, Depends(CARE)],
    form: Annotated[dict[str, str], Depends(form_fields)],
) -> Response:
    assert access.patient is not None and access.user is not None
    stored = directory.latest_profile(access.db, access.patient)
    document = forms.document_from_form(form, stored.document if stored else None)
    today = records.clinic_today(access.clinic)
    result = actions.save_profile(access.db, access.patient, access.user, document, today)
    if isinstance(result, Rejected):
        access.reject()
        errors = {forms.input_for_error(e.field): e.message for e in reversed(result.errors)}
        return patient_page(request, access, values=form, errors=errors, status=FORM_ERROR_STATUS)
    access.commit()
    return RedirectResponse(f"/patients/{pid}#plan", status_code=303)


@router.get("/patients/{pid}/plan/print")
def printable_plan(
    request: Request, pid: str, access: Annotated[Access, Depends(CARE)]
) -> Response:
    assert access.patient is not None
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    return page(request, "plan_print.html", access, state=state, kb=records.kb())


@router.get("/patients/{pid}/export.csv")
def patient_csv(pid: str, access: Annotated[Access, Depends(CARE)]) -> Response:
    """One file a clinician can keep: plan lines, findings, scores and recovery entries."""
    assert access.patient is not None
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
        for e in directory.recovery_entries(access.db, access.patient)
    ]
    text = csv_files.patient_csv(state.plan, scores, entries)
    return _csv(text, f"patient-{pid}.csv")


def _zone_ok(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
