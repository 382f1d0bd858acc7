from django.contrib import admin

from partnerdesk.billing.models import Invoice, InvoiceLine, InvoiceRun
from partnerdesk.efforts.admin import ReadOnlyAdmin
from partnerdesk.lib.admin import VendorInline


class InvoiceLineInline(VendorInline):
    model = InvoiceLine
    fields = (
        "day",
        "customer_name",
        "ticket_number",
        "person_name",
        "activity",
        "minutes",
        "rate",
        "amount",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "party", "month", "status", "total", "issued_at")
    list_filter = ("status", "month")
    search_fields = ("number", "party__name")
    list_select_related = ("party",)
    inlines = [InvoiceLineInline]


@admin.register(InvoiceRun)
class InvoiceRunAdmin(ReadOnlyAdmin):
    list_display = ("month", "runs", "last_run_at", "last_run_by")
