from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerdesk.accounts.models import ApiToken
from partnerdesk.lib.admin import VendorAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(VendorAdmin):
    """Administrators can see and revoke tokens, never create or read their secret."""

    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__email", "user__full_name")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "hint", "created_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Ausgewählte Schlüssel widerrufen"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
