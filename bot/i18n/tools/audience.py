"""Who reads a catalog entry: the applicant, or support staff in the staff group."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from babel.messages.catalog import Message

__all__ = ["STAFF_CONTEXTS", "applicant_texts_in_staff_code", "staff_facing"]

# `staff` labels the staff group's buttons; `canned` names a canned reply in the /reply list
# that staff read (dialogs/canned.py). The reply itself has no context: the applicant reads it.
STAFF_CONTEXTS = frozenset({"staff", "canned"})
_STAFF_CODE = "bot/staff/"
# bot/staff/ mostly writes to the staff group, but these functions write to the applicant while
# they wait (review B §13 S10: #16 hours, #17 queue position, #18 after hours).
_APPLICANT_FUNCTIONS = {"texts.py": frozenset({"hours_msg", "waiting_reply"})}
_MARKERS = frozenset({"N_", "NP_"})
_STAFF_DIR = Path(__file__).resolve().parents[2] / "staff"


def staff_facing(message: Message) -> bool:
    """True when only support staff read the entry (a staff context, or staff-group code)."""
    if message.context in STAFF_CONTEXTS:
        return True
    files = [path for path, _line in message.locations]
    if not files or not all(path.startswith(_STAFF_CODE) for path in files):
        return False
    return message.id not in applicant_texts_in_staff_code()


@functools.cache
def applicant_texts_in_staff_code() -> frozenset[str]:
    """The msgids that code under bot/staff/ sends to the applicant, read from its source."""
    found: set[str] = set()
    for name, functions in _APPLICANT_FUNCTIONS.items():
        tree = ast.parse((_STAFF_DIR / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in functions:
                found.update(_marked_strings(node))
    return frozenset(found)


def _marked_strings(function: ast.FunctionDef) -> list[str]:
    """The msgid of every N_("…") / NP_(context, "…") call in ``function``."""
    texts = []
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _MARKERS
            and node.args
            and isinstance(msgid := node.args[-1], ast.Constant)
            and isinstance(msgid.value, str)
        ):
            texts.append(msgid.value)
    return texts
