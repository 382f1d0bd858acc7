#!/usr/bin/env python
"""Django's command-line utility; ``partnerdesk`` wraps the commands an operator needs."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerdesk.settings")
    from partnerdesk.cli import run_django

    run_django(sys.argv)
