"""Shared background tasks.

``ping`` is the smallest real task: ``partnerdesk worker`` and its tests use it to prove that
a task enqueued by one process is picked up and finished by a worker process.
"""

from __future__ import annotations

from django.tasks import task


@task
def ping(message: str = "pong") -> str:
    """Return ``message``; stored as the task's result."""
    return message
