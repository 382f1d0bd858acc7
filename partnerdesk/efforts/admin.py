from django.contrib import admin

from partnerdesk.efforts.models import Booking, BookingQuery, BudgetEvent
from partnerdesk.lib.admin import VendorAdmin


class ReadOnlyAdmin(VendorAdmin):
    """Effort is written through its actions (derived billing, journal); the admin only reads."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = (
        "day",
        "ticket",
        "person",
        "minutes",
        "activity",
        "billing",
        "bill_to",
        "amount",
    )
    list_filter = ("billing", "reason", "kind")
    search_fields = ("ticket__number", "person__full_name", "text")
    list_select_related = ("ticket", "person", "activity", "bill_to")
    date_hierarchy = "day"


@admin.register(BookingQuery)
class BookingQueryAdmin(ReadOnlyAdmin):
    list_display = ("booking", "raised_by", "status", "created_at", "resolved_at")
    list_filter = ("status",)
    list_select_related = ("booking", "raised_by")


@admin.register(BudgetEvent)
class BudgetEventAdmin(ReadOnlyAdmin):
    list_display = ("order", "kind", "hours", "author", "created_at")
    list_filter = ("kind",)
    list_select_related = ("order", "author")
