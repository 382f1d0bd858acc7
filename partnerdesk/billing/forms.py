"""Forms of the invoice pages: the month to invoice, the list filters, issuing with version."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerdesk.billing.models import InvoiceStatus


class MonthField(forms.CharField):
    """ "2026-11" → the first day of that month."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month", "maxlength": "7"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            year, month = value.split("-")
            return datetime.date(int(year), int(month), 1)
        except (TypeError, ValueError):
            raise forms.ValidationError(
                _("Monat als JJJJ-MM angeben, z. B. 2026-11."), code="invalid"
            ) from None


class RunForm(forms.Form):
    month = MonthField(label=_("Monat"))


class InvoiceFilterForm(forms.Form):
    month = MonthField(label=_("Monat"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("alle")), *InvoiceStatus.choices],
    )


class IssueForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
