"""Who reads a catalog entry: the applicant, or support staff in the staff group."""

from __future__ import annotations

from babel.messages.catalog import Message

__all__ = ["STAFF_CONTEXTS", "staff_facing"]

# `staff` labels the staff group's buttons; `canned` names a canned reply in the /reply list
# that staff read (dialogs/canned.py). The reply itself has no context: the applicant reads it.
STAFF_CONTEXTS = frozenset({"staff", "canned"})
# Code there writes only to the staff group: the applicant's words are all in dialogs/.
_STAFF_CODE = "bot/staff/"


def staff_facing(message: Message) -> bool:
    """True when only support staff read the entry (a staff context, or staff-group code)."""
    if message.context in STAFF_CONTEXTS:
        return True
    files = [path for path, _line in message.locations]
    return bool(files) and all(path.startswith(_STAFF_CODE) for path in files)
