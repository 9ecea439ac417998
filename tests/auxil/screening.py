"""One whole screening as a person does it over HTTP: the e2e tests, the soak and the benchmark."""

from __future__ import annotations

__all__ = ["ANSWERED", "SCREENING"]

# (what the person does, the question whose buttons must appear next)
SCREENING = [
    ("/start", "a:language:"),
    ("a:language:en", "a:privacy:"),
    ("a:privacy:agree:en", "a:role:"),
    ("a:role:applicant", "a:status:"),
    ("a:status:titp", "a:situation:"),
    ("a:situation:lost_job", "a:cause:"),
    ("a:cause:bankruptcy", "a:wish_ssw:"),
    ("a:wish_ssw:yes", "a:contract:"),
    ("a:contract:yes", "a:field:"),
    ("a:field:care", "a:prefecture:"),
    ("Tokyo", "a:review:"),
    ("a:review:confirm", "c:staff"),
]
ANSWERED = [
    "language",
    "privacy",
    "role",
    "status",
    "situation",
    "cause",
    "wish_ssw",
    "contract",
    "field",
    "prefecture",
]
