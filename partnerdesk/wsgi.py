"""WSGI entry point (granian serves ``partnerdesk.wsgi:application``)."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerdesk.settings")

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
except ImproperlyConfigured as error:  # one clear line instead of a traceback
    print(f"partnerdesk: configuration error: {error}", file=sys.stderr)
    raise SystemExit(2) from None
