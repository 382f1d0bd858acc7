"""Forms of the effort pages. They shape and parse input; the rules live in the actions
(future dates, locked bookings, who may query or resolve), whose refusals the views show."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts.actions import parse_duration
from partnerdesk.efforts.models import QueryStatus


def format_minutes(minutes: int | None) -> str:
    """Minutes as people type them back: 90 → "1:30"."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(int(minutes)), 60)
    return f"{sign}{hours}:{rest:02d}"


class DurationField(forms.CharField):
    """ "1:30", "1.5h", "1,5 h", "1h30", "90" → minutes (int)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "placeholder": "1:30",
                    "autocomplete": "off",
                    "inputmode": "decimal",
                    "maxlength": "20",
                }
            ),
        )
        kwargs.setdefault("help_text", _("1:30, 1.5h oder Minuten (90)"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_minutes(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_duration(value)
        except ValidationError as error:
            messages = (
                error.message_dict.get("duration", error.messages)
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise ValidationError(messages, code="invalid") from None


def _day_field(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _activity_field():
    return forms.ModelChoiceField(
        label=_("Tätigkeit"),
        queryset=ServiceType.objects.order_by("name"),
        empty_label=_("Bitte wählen"),
    )


class BookingForm(forms.Form):
    """Effort on one ticket: on the ticket page the ticket is given, on "my week" it is typed."""

    ticket = forms.CharField(
        label=_("Ticket"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "2026-00001", "autocomplete": "off"}),
    )
    day = _day_field(_("Datum"))
    duration = DurationField(label=_("Dauer"))
    activity = _activity_field()
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Was wurde gemacht? Partner und Kunde sehen diesen Text."),
    )
    internal_text = forms.CharField(
        label=_("Interner Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nur für den Hersteller sichtbar."),
    )

    def __init__(self, *args, with_ticket: bool = True, service_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_ticket:
            del self.fields["ticket"]
        if service_types is not None:
            self.fields["activity"].queryset = ServiceType.objects.filter(
                pk__in=[s.pk for s in service_types]
            )
            self.fields["activity"].choices = [("", _("Bitte wählen"))] + [
                (s.pk, s.name) for s in service_types
            ]


class BookingEditForm(BookingForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        kwargs["with_ticket"] = False
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class QueryForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Was stimmt an dieser Buchung nicht?"),
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Entscheid"),
        choices=[
            (QueryStatus.ACCEPTED, _("akzeptiert – die Buchung bleibt")),
            (QueryStatus.CORRECTED, _("korrigiert – neue Dauer")),
            (QueryStatus.WRITTEN_OFF, _("abgeschrieben – nicht verrechnet")),
        ],
        widget=forms.RadioSelect,
    )
    corrected_minutes = DurationField(
        label=_("Korrigierte Dauer"),
        required=False,
        help_text=_("Nur bei «korrigiert»: die richtige Dauer, z. B. 0:45."),
    )
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == QueryStatus.CORRECTED
            and data.get("corrected_minutes") is None
            and "corrected_minutes" not in self.errors
        ):
            self.add_error("corrected_minutes", _("Bitte die korrigierte Dauer angeben."))
        return data


class RaiseApprovalForm(forms.Form):
    approved_free_hours = forms.DecimalField(
        label=_("Neue Bewilligung (Stunden)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
    )
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 2}))
