# Swiss conventions for amounts: CHF 1'234.50 (Django's de_CH uses a decimal comma).
from django.conf.locale.de_CH.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "'"
