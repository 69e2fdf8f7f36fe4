"""What a patient (and their clinician) uses day to day: today's doses and window
checklist, questionnaires, charts, the calendar, the recovery and diet logs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from neurogarden.clinic import actions, patient_state, records, recovery
from neurogarden.clinic import today as day
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.visit import PatientVisit
from neurogarden.instruments.series import Session as ChartSession
from neurogarden.instruments.series import Window as ChartWindow
from neurogarden.kb.instruments.models import InstrumentDefinition
from neurogarden.render.recovery_chart import timeline_chart
from neurogarden.render.score_charts import patient_chart
from neurogarden.web.policy import OWN_RECORD_VISIT, SELF_OR_CARE_VISIT
from neurogarden.web.templating import FORM_ERROR_STATUS, form_fields, page

router = APIRouter(include_in_schema=False)


def active_window(state: records.PatientState, today: date) -> Any:
    """The integration window today falls in, or the next one within a week."""
    if state.plan is None:
        return None
    for window in state.plan.windows:
        start = datetime.fromisoformat(window.start).date()
        end = datetime.fromisoformat(window.end).date()
        if start <= today <= end or today < start <= today + timedelta(days=7):
            return window
    return None


@router.get("/patients/{pid}/today")
def today_view(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, SELF_OR_CARE_VISIT],
) -> Response:
    return today_page(request, access)


def today_page(
    request: Request,
    access: PatientVisit,
    diet_error: str | None = None,
    recovery_error: str | None = None,
) -> Response:
    today = access.today
    view = day.today_view(access.db, access.patient, access.clinic, today)
    state = view.state
    return page(
        request,
        "today.html",
        access,
        state=state,
        diet=[{"food": f, "amount": a} for f, a in view.eaten],
        diet_plan=view.day_plan,
        diet_error=diet_error,
        recovery=state.recovery,
        recovery_error=recovery_error,
        today_iso=today.isoformat(),
        attendance_kinds=recovery.ATTENDANCE_KINDS,
        today=today,
        done=view.done,
        window=active_window(state, today),
        days_with_ticks=view.days_with_ticks,
        self_report=[records.instrument(i) for i in records.SELF_REPORT],
        titles={i: d.short_title for i in records.SELF_REPORT if (d := records.instrument(i))},
        measures_due=view.due,
        next_due=view.next_due,
        crisis=records.crisis_for(access.clinic) if view.crisis else None,
        charts=_chartable(state),
    )


@router.post("/patients/{pid}/diet")
def log_food(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, OWN_RECORD_VISIT],
    food: Annotated[str, Form(max_length=400)] = "",
    amount: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Add a food to today's log, validated like a profile's diet (did-you-mean, units)."""
    result = actions.log_food(access, food, amount)
    if isinstance(result, Rejected):
        return today_page(request, access, diet_error=result.text(last_part=True))
    return RedirectResponse(f"/patients/{pid}/today#diet", status_code=303)


def _chartable(state: records.PatientState) -> list[tuple[Any, Any]]:
    """(definition, series) of each scored questionnaire the patient has answered, for
    the charts and for alt text that states their values."""
    ids = {r.instrument_id for r in state.responses if r.total is not None}
    return [
        (d, records.series(d, state.patient, state.responses))
        for i in sorted(ids)
        if (d := records.instrument(i)) is not None and d.outcomes
    ]


@router.post("/patients/{pid}/ticks")
def tick(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, OWN_RECORD_VISIT],
    kind: Annotated[str, Form(pattern="^(dose|checklist)$")],
    item: Annotated[str, Form(min_length=1, max_length=200)],
    done: Annotated[str, Form()] = "",
    label: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    is_done = done == "on"
    refused = actions.set_tick(access, kind, item, is_done)
    if refused is not None or request.headers.get("HX-Request"):
        return page(
            request,
            "_tick.html",
            access,
            pid=pid,
            kind=kind,
            item=item,
            label=label or item,
            checked=is_done and refused is None,
            error=refused.text(last_part=True) if refused else None,
            status=FORM_ERROR_STATUS,
        )
    return RedirectResponse(f"/patients/{pid}/today", status_code=303)


@router.get("/patients/{pid}/questionnaires/{iid}")
def questionnaire_form(
    request: Request,
    pid: str,
    iid: str,
    access: Annotated[PatientVisit, SELF_OR_CARE_VISIT],
) -> Response:
    definition = _allowed_instrument(access, iid)
    return page(request, "questionnaire.html", access, definition=definition, values={}, error=None)


def _allowed_instrument(access: PatientVisit, iid: str) -> InstrumentDefinition:
    definition = records.instrument(iid)
    if definition is None or iid not in actions.allowed_instruments(access.role):
        raise HTTPException(404, "Not found")
    return definition


@router.post("/patients/{pid}/questionnaires/{iid}")
def submit_questionnaire(
    request: Request,
    pid: str,
    iid: str,
    access: Annotated[PatientVisit, SELF_OR_CARE_VISIT],
    form: Annotated[dict[str, str], Depends(form_fields)],
) -> Response:
    definition = _allowed_instrument(access, iid)
    # Form text as it came: the scoring engine reads numbers, clocks and blanks itself.
    answers = {item.id: form.get(item.id) for item in definition.items}
    saved = actions.record_response(access, iid, answers)
    if isinstance(saved, Rejected):
        return page(
            request,
            "questionnaire.html",
            access,
            status=FORM_ERROR_STATUS,
            definition=definition,
            values=form,
            error=saved.text(last_part=True),
        )
    record, _ = saved
    return page(
        request, "questionnaire_done.html", access, definition=definition, score=record.score
    )


@router.post("/patients/{pid}/recovery")
def log_recovery(
    request: Request,
    pid: str,
    access: Annotated[PatientVisit, SELF_OR_CARE_VISIT],
    form: Annotated[dict[str, str], Depends(form_fields)],
) -> Response:
    """Add a use, a craving rating or an attendance to the log, validated by the core."""
    back = "/today" if access.role == "patient" else ""
    result = actions.log_recovery(access, form.get("kind", ""), form)
    if isinstance(result, Rejected):
        error = result.text(last_part=True)
        if access.role == "patient":
            return today_page(request, access, recovery_error=error)
        from neurogarden.web.routes.clinician import patient_page

        return patient_page(request, access, recovery_error=error)
    return RedirectResponse(f"/patients/{pid}{back}#recovery", status_code=303)


@router.get("/patients/{pid}/charts/{iid}.svg")
def chart(pid: str, iid: str, access: Annotated[PatientVisit, SELF_OR_CARE_VISIT]) -> Response:
    """A questionnaire's totals over time, or (`recovery`) the recovery timeline."""
    if iid == "recovery":
        return _recovery_chart(access)
    definition = records.instrument(iid)
    if definition is None or not definition.outcomes:
        raise HTTPException(404, "Not found")
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    series = records.series(definition, access.patient, state.responses)
    if not series.points:
        raise HTTPException(404, "Not found")
    sessions, windows = [], []
    if state.plan is not None:
        for w in state.plan.windows:
            start = datetime.fromisoformat(w.start).date()
            sessions.append(ChartSession(day=start))
            windows.append(ChartWindow(start=start, end=datetime.fromisoformat(w.end).date()))
    drawn = patient_chart(
        definition,
        series,
        sessions,
        windows,
        title=f"{definition.short_title} over time",
    )
    return Response(drawn.data, media_type="image/svg+xml")


def _recovery_chart(access: PatientVisit) -> Response:
    state = patient_state.load_state(access.db, access.patient, access.clinic)
    shown = state.recovery
    if shown is None:
        raise HTTPException(404, "Not found")
    try:
        drawn = timeline_chart(shown.log, shown.cows, title="Recovery timeline", kb=records.kb())
    except ValueError:  # nothing logged yet
        raise HTTPException(404, "Not found") from None
    return Response(drawn.data, media_type="image/svg+xml")


@router.get("/patients/{pid}/calendar.ics")
def calendar(pid: str, access: Annotated[PatientVisit, SELF_OR_CARE_VISIT]) -> Response:
    from neurogarden.render.calendar import to_ics

    state = patient_state.load_state(access.db, access.patient, access.clinic)
    if state.plan is None or state.profile is None:
        raise HTTPException(404, "Not found")
    return Response(
        to_ics(state.plan, state.profile, start=access.today),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="neurogarden-plan.ics"'},
    )
