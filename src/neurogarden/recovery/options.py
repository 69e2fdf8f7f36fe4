"""Evidence-based recovery options (medications for opioid use disorder, counselling,
mutual-support groups) from the knowledge base, shown to the clinician as information."""

from __future__ import annotations

from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.models import Note
from neurogarden.kb.recovery_records import RecoveryOption

OPTIONS_NOTE = "note-recovery-options"  # "shown as information, the clinician decides"


def recovery_options(kb: KnowledgeBase) -> tuple[RecoveryOption, ...]:
    """The options in knowledge-base order; each carries its sources and evidence."""
    return kb.recovery_options


def options_note(kb: KnowledgeBase) -> Note:
    """The wording that must accompany the options wherever they are shown."""
    return kb.notes[OPTIONS_NOTE]
