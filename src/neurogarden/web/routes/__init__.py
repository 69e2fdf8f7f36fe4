"""Every router of the app; each route depends on exactly one `web.policy.Policy`."""

from __future__ import annotations

from neurogarden.web.routes import (
    admin,
    alerts,
    api,
    api_measures,
    auth,
    care,
    clinician,
    kb,
    patient,
)  # fmt: skip

ROUTERS = (
    auth.router, clinician.router, care.router, alerts.router, patient.router, admin.router,
    kb.router,
    api.router, api_measures.router,
)  # fmt: skip
