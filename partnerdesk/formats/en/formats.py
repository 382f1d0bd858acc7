# English pages for a Swiss audience: dates day-first, amounts as CHF 1'234.50.
from django.conf.locale.en.formats import *  # noqa: F403

SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "'"
