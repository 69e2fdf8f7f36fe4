"""Ketamine-assisted therapy sessions: the safety gate (`gate`), the integration window
(`windows`, `supplements`), omega-3 label maths (`omega3`) and follow-up measures
(`events`), composed by `integrate.integrate`. Pure modules; the protocol they follow
is knowledge-base data (`neurogarden.kb.protocol`)."""
