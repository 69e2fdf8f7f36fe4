"""Every router of the app; each route depends on exactly one `web.policy.Policy`."""

from __future__ import annotations

from neurogarden.web.routes import admin, alerts, api, auth, care, clinician, kb, patient

ROUTERS = (
    auth.router, clinician.router, care.router, alerts.router, patient.router, admin.router,
    kb.router,
    api.router,
)  # fmt: skip
