"""The dialog's states: their values are stored in the database, so renaming one is a migration."""

from enum import StrEnum

__all__ = ["QUESTION_STATES", "State"]


class State(StrEnum):
    """Where a conversation is; question states carry the question id of DOMAIN.md."""

    LANGUAGE = "language"
    PRIVACY = "privacy"
    ROLE = "role"
    STATUS = "status"
    SITUATION = "situation"
    CAUSE = "cause"
    WISH_SSW = "wish_ssw"
    CONTRACT = "contract"
    FIELD = "field"
    MANUFACTURING_BASIS = "manufacturing_basis"
    PREFECTURE = "prefecture"
    REVIEW = "review"
    RESULT = "result"
    DECLINED = "declined"
    DELETE = "delete"


# The states that ask one of DOMAIN.md's questions (the question id is the state's value).
QUESTION_STATES = frozenset(State) - {State.RESULT, State.DECLINED}
