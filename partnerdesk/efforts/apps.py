from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffortsConfig(AppConfig):
    name = "partnerdesk.efforts"
    verbose_name = _("Aufwand")
