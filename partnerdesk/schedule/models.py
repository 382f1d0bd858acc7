"""One row per periodic job and time slot: whoever inserts it first runs the job."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    job = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text="Start of the interval this run belongs to.")
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_once")]
        indexes = [models.Index(fields=["job", "-slot"], name="scheduledrun_job_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
