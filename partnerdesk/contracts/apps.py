from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "partnerdesk.contracts"
    verbose_name = _("Verträge und Aufträge")
