"""Lists the facts staff should verify first: the ones of low or unknown confidence."""

from __future__ import annotations

from dialogs.content.model import Confidence, Content, Provenance

__all__ = ["low_confidence_facts"]

_WEAK = (Confidence.LOW, Confidence.UNKNOWN)


def low_confidence_facts(content: Content) -> list[str]:
    """One line per weak fact: its kind, id, confidence and source."""
    facts: list[tuple[str, str, Provenance]] = [
        *(("office", o.id, o.provenance) for o in content.offices.values()),
        *(("field", f.id, f.provenance) for f in content.fields),
        *(("document", d.id, d.provenance) for d in content.documents),
        *(("helpline", h.id, h.provenance) for h in content.helplines),
    ]
    return [
        f"{kind} {fact_id}: {p.confidence.value} (source: {p.source}; verified {p.verified_on})"
        for kind, fact_id, p in facts
        if p.confidence in _WEAK
    ]
