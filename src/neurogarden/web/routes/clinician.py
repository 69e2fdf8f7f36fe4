"""The clinician's pages: the dashboard, a patient's record, the profile editor,
sessions, a printable plan and CSV exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.instruments.charts import clinic_chart
from neurogarden.instruments.outcomes import PatientOutcome, clinic_summary
from neurogarden.profile import ProfileError
from neurogarden.storage import clinic as store
from neurogarden.web import clinical, forms, recovery
from neurogarden.web.accounts import new_login_problem
from neurogarden.web.policy import CARE, CLINICIAN, Access
from neurogarden.web.security import hash_password
from neurogarden.web.templating import FORM_ERROR_STATUS, form_fields, page

router = APIRouter(include_in_schema=False)

ROUTES = ("iv", "im", "sublingual", "oral", "intranasal")


def _protocol(state: clinical.PatientState) -> str:
    return "KAP with integration" if state.profile and state.profile.sessions else "no KAP"


def clinic_outcomes(access: Access) -> tuple[Any, list[clinical.PatientState]]:
    assert access.clinic is not None
    states = [
        clinical.load_state(access.db, p, access.clinic)
        for p in store.patients_of_clinic(access.db, access.clinic.id)
    ]
    definition = clinical.instrument("phq9")
    assert definition is not None
    outcomes = [
        PatientOutcome(
            protocol=_protocol(s), series=clinical.series(definition, s.patient, s.responses)
        )
        for s in states
    ]
    return clinic_summary(definition, outcomes, clinical.catalogue().references), states


@router.get("/dashboard")
def dashboard(request: Request, access: Annotated[Access, Depends(CLINICIAN)]) -> Response:
    summary, states = clinic_outcomes(access)
    for state in states:  # the dashboard shows every patient's name and alerts: audit it
        access.db.add(_read_row(access, state.patient.public_id, "dashboard"))
    access.db.commit()
    states.sort(key=clinical.attention_order)
    return page(request, "dashboard.html", access, states=states, summary=summary)


def _read_row(access: Access, public_id: str, action: str) -> store.AuditRow:
    assert access.user is not None
    return store.AuditRow(
        at=store.utcnow(),
        user_id=access.user.id,
        username=access.user.username,
        role=access.user.role,
        clinic_id=access.user.clinic_id,
        patient_id=public_id,
        action=action,
        outcome="ok",
        method=access.request.method,
        path=access.request.url.path,
    )


@router.get("/clinic/charts/phq9.svg")
def clinic_chart_svg(access: Annotated[Access, Depends(CLINICIAN)]) -> Response:
    summary, _ = clinic_outcomes(access)
    definition = clinical.instrument("phq9")
    assert definition is not None
    chart = clinic_chart(definition, summary)
    return Response(chart.data, media_type="image/svg+xml")


@router.get("/clinic/outcomes.csv")
def clinic_outcomes_csv(access: Annotated[Access, Depends(CLINICIAN)]) -> Response:
    summary, states = clinic_outcomes(access)
    definition = clinical.instrument("phq9")
    assert definition is not None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["patient", "protocol", "baseline", "latest", "change_pct", "response", "remission"]
    )
    for state in states:
        access.db.add(_read_row(access, state.patient.public_id, "clinic_outcomes_csv"))
        s = clinical.series(definition, state.patient, state.responses)
        first, last = s.baseline, s.latest
        writer.writerow(
            [
                state.patient.public_id,
                _protocol(state),
                first.total if first else "",
                last.total if last else "",
                last.change.change_pct if last and last.change.change_pct is not None else "",
                bool(s.response_date),
                bool(s.remission_date),
            ]
        )
    writer.writerow([])
    writer.writerow(["group", "followed", "responders", "response_rate_pct", "remission_rate_pct"])
    for row in (summary.overall, *summary.by_protocol):
        writer.writerow(
            [row.group, row.patients, row.responders, row.response_rate_pct, row.remission_rate_pct]
        )
    access.db.commit()
    return _csv(out.getvalue(), "clinic-outcomes.csv")


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
    name = display_name.strip()
    if not name:
        return page(
            request,
            "patient_new.html",
            access,
            status=FORM_ERROR_STATUS,
            error="display_name: enter the patient's name",
        )
    assert access.clinic is not None
    patient = store.add_patient(access.db, access.clinic.id, name)
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
    account_error: str | None = None,
    recovery_error: str | None = None,
    status: int = 200,
) -> Response:
    assert access.patient is not None
    state = clinical.load_state(access.db, access.patient, access.clinic)
    values = values if values is not None else forms.form_from_document(state.document)
    charts = [  # instruments with response/remission rules; COWS is on the recovery timeline
        (definition, clinical.series(definition, access.patient, state.responses))
        for iid in clinical.SELF_REPORT
        if (definition := clinical.instrument(iid)) is not None and definition.outcomes
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
        instruments=[clinical.instrument(i) for i in clinical.CLINICIAN_RATED],
        account=store.user_for_patient(access.db, access.patient.id),
        session_error=session_error or {},
        account_error=account_error,
        recovery=recovery.view(access.db, state, clinical.clinic_today(access.clinic)),
        recovery_error=recovery_error,
        today_iso=clinical.clinic_today(access.clinic).isoformat(),
        attendance_kinds=recovery.ATTENDANCE_KINDS,
        kb=clinical.kb(),
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
    stored = store.latest_profile(access.db, access.patient.id)
    document = forms.document_from_form(form, stored.document if stored else None)
    try:
        clinical.plan_document(document, clinical.clinic_today(access.clinic))
    except ProfileError as exc:
        access.reject()
        errors = {forms.input_for_error(exc.field): exc.message}
        return patient_page(request, access, values=form, errors=errors, status=FORM_ERROR_STATUS)
    store.save_profile(access.db, access.patient.id, document, access.user.id)
    access.commit()
    return RedirectResponse(f"/patients/{pid}#plan", status_code=303)


@router.post("/patients/{pid}/sessions")
def schedule_session(
    request: Request,
    pid: str,
    access: Annotated[Access, Depends(CARE)],
    start: Annotated[str, Form()] = "",
    route: Annotated[str, Form()] = "",
    setting: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    assert access.patient is not None and access.user is not None
    stored = store.latest_profile(access.db, access.patient.id)
    if stored is None:
        access.reject()
        return patient_page(
            request,
            access,
            session_error={"start": "save the profile before scheduling sessions"},
            status=FORM_ERROR_STATUS,
        )
    try:
        when = datetime.fromisoformat(start)
    except ValueError:
        access.reject()
        return patient_page(
            request,
            access,
            session_error={"start": "expected a date and time like 2026-11-24T10:00"},
            status=FORM_ERROR_STATUS,
        )
    document = dict(stored.document)
    session: dict[str, Any] = {"start": when.isoformat(timespec="minutes"), "route": route}
    if setting.strip():
        session["setting"] = setting.strip()
    document["sessions"] = [*document.get("sessions", []), session]
    try:
        clinical.plan_document(document, clinical.clinic_today(access.clinic))
    except ProfileError as exc:
        access.reject()
        key = exc.field.rsplit(".", 1)[-1]
        return patient_page(
            request, access, session_error={key: exc.message}, status=FORM_ERROR_STATUS
        )
    store.save_profile(access.db, access.patient.id, document, access.user.id)
    access.commit()
    return RedirectResponse(f"/patients/{pid}#sessions", status_code=303)


@router.post("/patients/{pid}/account")
def create_patient_account(
    request: Request,
    pid: str,
    access: Annotated[Access, Depends(CARE)],
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    assert access.patient is not None and access.clinic is not None
    name = username.strip().lower()
    error = new_login_problem(access.db, name, password)
    if store.user_for_patient(access.db, access.patient.id) is not None:
        error = "username: this patient already has a login"
    if error:
        access.reject()
        return patient_page(request, access, account_error=error, status=FORM_ERROR_STATUS)
    store.add_user(
        access.db,
        access.clinic.id,
        name,
        access.patient.display_name,
        "patient",
        hash_password(password),
        patient_id=access.patient.id,
    )
    access.commit()
    return RedirectResponse(f"/patients/{pid}#account", status_code=303)


@router.get("/patients/{pid}/plan/print")
def printable_plan(
    request: Request, pid: str, access: Annotated[Access, Depends(CARE)]
) -> Response:
    assert access.patient is not None
    state = clinical.load_state(access.db, access.patient, access.clinic)
    return page(request, "plan_print.html", access, state=state, kb=clinical.kb())


@router.get("/patients/{pid}/export.csv")
def patient_csv(pid: str, access: Annotated[Access, Depends(CARE)]) -> Response:
    """One file a clinician can keep: plan lines, findings, scores and recovery entries."""
    assert access.patient is not None
    state = clinical.load_state(access.db, access.patient, access.clinic)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "date", "item", "value", "detail", "sources"])
    if state.plan is not None:
        for dose in state.plan.supplements:
            writer.writerow(
                [
                    "plan",
                    "",
                    dose.name,
                    f"{dose.compound_mg} mg" if dose.compound_mg is not None else "",
                    f"elemental {dose.elemental_mg} mg at {' '.join(dose.times)}",
                    " ".join(dose.sources),
                ]
            )
        for f in state.plan.findings:
            writer.writerow(["finding", "", f.code, f.severity, f.message, " ".join(f.sources)])
    for r in state.responses:
        writer.writerow(
            [
                "score",
                store.aware(r.taken_at).date().isoformat(),
                r.instrument_id,
                r.total,
                "item-9 flag" if r.flagged else "",
                "",
            ]
        )
    for e in store.recovery_entries_of(access.db, [access.patient.id]):
        value = e.amount or (e.rating if e.rating is not None else e.attended)
        detail = e.substance or e.attendance_kind or ""
        writer.writerow(["recovery", e.day.isoformat(), e.kind, value, detail, ""])
    return _csv(out.getvalue(), f"patient-{pid}.csv")


def _zone_ok(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
