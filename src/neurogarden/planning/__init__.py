"""The plan: one pass that places every recommended dose (daily, titration, as-needed
and each integration-window supplement) against the same separation windows, ceiling
and holds, and the typed, frozen `Plan` it returns. Pure: no I/O."""
