"""Renderers: the plan and findings as text (`text`, `timeline`), charts (`charts` shared
by `score_charts` and `recovery_chart`) and iCalendar (`calendar`). They read the
engines' frozen results and never change them."""
