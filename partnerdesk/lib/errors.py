"""Errors that actions raise for refusals users must understand.

Pages show ``detail``; the API answers ``{"detail": ..., "code": ...}`` with ``status``.
"""

from __future__ import annotations


class ActionError(Exception):
    status = 400
    code = "refused"

    def __init__(self, detail: str, *, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class RuleViolation(ActionError):
    """The request contradicts a rule of the brief (e.g. phase and responsible disagree)."""

    status = 422
    code = "rule_violation"


class StaleVersion(ActionError):
    """The object changed since the caller read it."""

    status = 409
    code = "stale_version"


class Forbidden(ActionError):
    """The caller may see the object but not do this to it."""

    status = 403
    code = "permission_denied"
