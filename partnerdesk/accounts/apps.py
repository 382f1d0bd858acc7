from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "partnerdesk.accounts"
    verbose_name = _("Anmeldung und API-Schlüssel")
