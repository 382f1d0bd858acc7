"""Forms of the ticket pages. They only shape and parse input; every rule lives in the
actions, whose refusals the views show on the form."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerdesk.contracts.models import Contract, Order
from partnerdesk.parties.models import CSTeam, Organisation, OrganisationKind, User
from partnerdesk.tickets.models import COVERED, Coverage, Priority
from partnerdesk.tickets.phases import Phase, Side, phase_label

TEXTAREA = {"rows": 4}


def _phase_choices(phases) -> list[tuple[str, str]]:
    return [(phase.value, phase_label(phase)) for phase in phases]


def _person_label(person: User) -> str:
    return f"{person.full_name} · {person.organisation.display_name}"


# ---- list filters --------------------------------------------------------------------------


class TicketFilterForm(forms.Form):
    """The filters of the ticket list (GET); unknown or junk values are simply ignored."""

    q = forms.CharField(label=_("Suche"), required=False, max_length=200)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    side = forms.ChoiceField(label=_("Seite"), required=False)
    customer = forms.ModelChoiceField(
        label=_("Kunde"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Alle Kunden"),
    )
    order = forms.ModelChoiceField(
        label=_("Auftrag"),
        queryset=Order.objects.none(),
        required=False,
        empty_label=_("Alle Aufträge"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("offen und erledigt")),
            ("open", _("nur offene")),
            ("closed", _("nur erledigte")),
        ],
    )
    overdue = forms.BooleanField(label=_("überfällig"), required=False)
    escalated = forms.BooleanField(label=_("eskaliert"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        from partnerdesk.tickets.templatetags.tickets import side_label

        self.fields["phase"].choices = [("", _("Alle Phasen")), *_phase_choices(Phase)]
        self.fields["side"].choices = [("", _("Alle Seiten"))] + [
            (side.value, side_label(side)) for side in Side
        ]
        if user.is_customer_contact:
            del self.fields["customer"]
            del self.fields["order"]
        else:
            self.fields["customer"].queryset = (
                Organisation.objects.visible_to(user).customers().order_by("name")
            )
            self.fields["order"].queryset = (
                Order.objects.visible_to(user)
                .select_related("partner")
                .order_by("partner__name", "kind", "number")
            )
            self.fields["order"].label_from_instance = lambda order: (
                f"{order.number} · {order.title}"
                if user.is_partner_person
                else f"{order.partner.name} · {order.number} · {order.title}"
            )

    def value(self, name: str):
        """The cleaned value of ``name``, or None when absent or invalid."""
        if not self.is_valid() and name in self.errors:
            return None
        return self.cleaned_data.get(name) or None


# ---- filing --------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; returns a list (maybe empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        else:
            files = [super().clean(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class TicketFileForm(forms.Form):
    """Filing a ticket. Partner people pick the order and the customer; customer contacts
    file for their own organisation, under their contract."""

    order = forms.ModelChoiceField(
        label=_("Auftrag"),
        queryset=Order.objects.none(),
        empty_label=None,
        help_text=_("Reguläre Tickets laufen über den Partnerschaftsauftrag."),
    )
    customer = forms.ModelChoiceField(
        label=_("Betroffener Kunde"),
        queryset=Organisation.objects.none(),
        empty_label=_("Bitte wählen"),
    )
    contract = forms.ModelChoiceField(
        label=_("Vertrag"), queryset=Contract.objects.none(), empty_label=None
    )
    title = forms.CharField(
        label=_("Titel"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Markdown möglich: **fett**, *kursiv*, Listen, `Code`. "
            "Was ist passiert, was erwarten Sie, seit wann?"
        ),
    )
    priority = forms.ChoiceField(
        label=_("Priorität"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Dringend: der Betrieb ist eingeschränkt und es gibt keine Umgehung."),
    )
    attachments = MultipleFileField(label=_("Anhänge"), required=False)

    def clean_attachments(self):
        return _check_sizes(self.cleaned_data["attachments"])

    def __init__(self, *args, user: User, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_partner_person:
            del self.fields["contract"]
            self.fields["order"].queryset = (
                # partnership first, then leads and engagements
                Order.objects.visible_to(user).filter(is_active=True).order_by("-kind", "number")
            )
            self.fields["order"].label_from_instance = lambda order: (
                f"{order.get_kind_display()} ({order.number})"
                if order.kind == "partnership"
                else f"{order.get_kind_display()} · {order.title} ({order.number})"
            )
            served = (
                Contract.objects.filter(partner_id=user.organisation_id)
                .valid_on(today)
                .values("customer_id")
            )
            self.fields["customer"].queryset = (
                Organisation.objects.visible_to(user)
                .customers()
                .filter(pk__in=served, is_active=True)
                .order_by("name")
            )
        else:
            del self.fields["order"]
            del self.fields["customer"]
            contracts = list(
                Contract.objects.visible_to(user)
                .valid_on(today)
                .select_related("partner")
                .order_by("number")
            )
            self.fields["contract"].queryset = Contract.objects.filter(
                pk__in=[c.pk for c in contracts]
            )
            self.fields["contract"].label_from_instance = lambda contract: (
                f"{contract.number}" + (f" · {contract.product}" if contract.product else "")
            )
            if len(contracts) <= 1:
                # One contract (or none, which the action explains): chosen automatically.
                self.fields["contract"].required = False
                self.fields["contract"].widget = forms.HiddenInput()
                self.initial.setdefault("contract", contracts[0].pk if contracts else None)


# ---- actions on a ticket -------------------------------------------------------------------


class VersionedForm(forms.Form):
    """Every ticket form carries the version the person saw; a stale one is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _date_field(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CheckForm(VersionedForm):
    next_steps = forms.CharField(
        label=_("Nächste Schritte"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Was geschieht als Nächstes? Der Partner sieht diesen Text."),
    )
    estimated_resolution_on = _date_field(_("Geschätztes Lösungsdatum"))
    responsible_person = forms.ModelChoiceField(
        label=_("Bearbeitet von"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("mir selbst"),
    )

    def __init__(self, *args, vendor_people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible_person"]
        field.queryset = User.objects.filter(pk__in=[p.pk for p in vendor_people])
        field.choices = [("", field.empty_label)] + [(p.pk, p.full_name) for p in vendor_people]


HANDOVER_PHASES = (
    Phase.NEW,
    Phase.IN_PROGRESS,
    Phase.EXPERT,
    Phase.PARTNER_QUESTION,
    Phase.CUSTOMER_QUESTION,
)


class HandOverForm(VersionedForm):
    """Phase and responsible together; the action refuses pairs that contradict each other."""

    phase = forms.ChoiceField(label=_("Neue Phase"))
    responsible = forms.ChoiceField(label=_("Verantwortlich"))
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bei einer Rückfrage: die Frage an den Partner oder Kunden."),
    )

    def __init__(self, *args, teams, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = _phase_choices(HANDOVER_PHASES)
        self._targets: dict[str, tuple[CSTeam | None, User | None]] = {}
        kinds = {
            OrganisationKind.VENDOR: str(
                _("Personen bei %(vendor)s") % {"vendor": settings.VENDOR_NAME}
            ),
            OrganisationKind.PARTNER: str(_("Personen des Partners")),
            OrganisationKind.CUSTOMER: str(_("Personen des Kunden")),
        }
        groups: dict[str, list] = {
            str(_("CS-Teams")): [],
            **{label: [] for label in kinds.values()},
        }
        for team in teams:
            self._targets[f"team:{team.pk}"] = (team, None)
            groups[str(_("CS-Teams"))].append((f"team:{team.pk}", team.name))
        for person in people:
            key = f"person:{person.pk}"
            self._targets[key] = (None, person)
            groups[kinds[person.organisation.kind]].append((key, _person_label(person)))
        self.fields["responsible"].choices = [("", _("Bitte wählen"))] + [
            (label, choices) for label, choices in groups.items() if choices
        ]

    def clean_responsible(self):
        return self._targets[self.cleaned_data["responsible"]]


class AskForm(VersionedForm):
    person = forms.ChoiceField(label=_("Frage an"))
    question = forms.CharField(label=_("Rückfrage"), widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {
            str(p.pk): p for p in people if p.organisation.kind != OrganisationKind.VENDOR
        }
        self.fields["person"].choices = [("", _("Bitte wählen"))] + [
            (key, _person_label(p)) for key, p in self._people.items()
        ]

    def clean_person(self):
        return self._people[self.cleaned_data["person"]]


class EstimateForm(VersionedForm):
    estimated_resolution_on = _date_field(_("Neues Lösungsdatum"))
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}))


class SolutionForm(VersionedForm):
    solution = forms.CharField(
        label=_("Lösung"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_(
            "Der Partner bestätigt die Lösung oder eröffnet das Ticket mit Begründung wieder."
        ),
    )


def _coverage_choices():
    covered = [(c.value, c.label) for c in Coverage if c in COVERED]
    billed = [(c.value, c.label) for c in Coverage if c and c not in COVERED]
    return [
        ("", _("Bitte wählen")),
        (str(_("Leistung von %(vendor)s – kostenlos") % {"vendor": settings.VENDOR_NAME}), covered),
        (str(_("Nicht gedeckt – wird verrechnet, Ticket zurückgewiesen")), billed),
    ]


class CoverageForm(VersionedForm):
    coverage = forms.ChoiceField(label=_("Entscheid"))
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coverage"].choices = _coverage_choices()


class TextForm(VersionedForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs=TEXTAREA))


class CommentForm(TextForm):
    text = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Sichtbar für alle Beteiligten am Ticket."),
    )


class NoteForm(TextForm):
    text = forms.CharField(
        label=_("Interne Notiz"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Nur intern sichtbar, nie für Partner oder Kunden."),
    )


class AnswerForm(VersionedForm):
    answer = forms.CharField(label=_("Ihre Antwort"), widget=forms.Textarea(attrs=TEXTAREA))


class ConfirmForm(VersionedForm):
    pass


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(VersionedForm):
    starts_at = forms.DateTimeField(
        label=_("Zeitpunkt"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    participants = forms.CharField(label=_("Teilnehmende"), max_length=500)
    link = forms.CharField(
        label=pgettext_lazy("meeting", "Link"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    notes = forms.CharField(
        label=_("Notizen / Entscheide"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _check_sizes(files) -> list:
    """Refuse oversized files before anything is stored (the action checks again)."""
    limit = settings.PARTNERDESK_MAX_ATTACHMENT_MB
    errors = [
        forms.ValidationError(
            "%(name)s: %(problem)s",
            params={
                "name": upload.name,
                "problem": _("Die Datei ist grösser als %(mb)s MB.") % {"mb": limit},
            },
        )
        for upload in files
        if upload.size > limit * 1024 * 1024
    ]
    if errors:
        raise forms.ValidationError(errors)
    return files


class AttachForm(VersionedForm):
    files = MultipleFileField(label=_("Dateien"))
    internal = forms.BooleanField(
        label=_("nur intern (nie für Partner oder Kunden)"), required=False
    )

    def __init__(self, *args, vendor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not vendor:
            del self.fields["internal"]

    def clean_files(self):
        return _check_sizes(self.cleaned_data["files"])
