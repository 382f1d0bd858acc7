"""Forms for log-in, password reset, language and personal API tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partnerdesk.parties.models import User


class LoginForm(AuthenticationForm):
    """E-mail and password; the labels are ours, the checks are Django's."""

    username = forms.EmailField(
        label=_("E-Mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "E-Mail oder Passwort stimmen nicht. Beachten Sie Gross- und Kleinschreibung "
            "beim Passwort."
        ),
    }


class InvitingPasswordResetForm(PasswordResetForm):
    """Django's reset form, but it also reaches people who have no password yet.

    People are created without a password and set their first one through this link (see
    ``person_create``); Django's default skips them. The mail is written in the person's
    own language, not in the language of whoever asked for it.
    """

    def get_users(self, email):
        return [
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.email.casefold() == email.casefold()
        ]

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = getattr(context.get("user"), "language", None) or settings.LANGUAGE_CODE
        context = {**context, "vendor_name": settings.VENDOR_NAME}
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür der Schlüssel dient, z. B. «Ticket-Export Buchhaltung»."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
