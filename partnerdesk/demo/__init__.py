"""Demo data: a realistic vendor, its partners and customers, built through the actions.

``load_demo()`` is the entry point (idempotent); ``partnerdesk demo`` calls it.
"""

from partnerdesk.demo.loader import DEMO_PASSWORD, DemoError, DemoLogin, DemoLogins, load_demo

__all__ = ["DEMO_PASSWORD", "DemoError", "DemoLogin", "DemoLogins", "load_demo"]
