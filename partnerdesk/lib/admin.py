"""The admin site belongs to vendor administrators: the ``admin`` role, not Django's
per-model permissions, decides who may manage what."""

from __future__ import annotations

from django.contrib import admin

from partnerdesk.parties.models import Role


def is_vendor_admin(user) -> bool:
    return bool(
        user.is_active
        and user.is_authenticated
        and (user.is_superuser or (user.is_vendor_staff and user.has_role(Role.ADMIN)))
    )


class VendorAdmin(admin.ModelAdmin):
    """A ModelAdmin every vendor administrator may use fully."""

    def has_module_permission(self, request) -> bool:
        return is_vendor_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_vendor_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return is_vendor_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_vendor_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_vendor_admin(request.user)


class VendorInline(admin.TabularInline):
    def has_view_permission(self, request, obj=None) -> bool:
        return is_vendor_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return is_vendor_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_vendor_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_vendor_admin(request.user)


def admin_site_has_permission(request) -> bool:
    return is_vendor_admin(request.user)


admin.site.has_permission = admin_site_has_permission
admin.site.site_header = "partnerdesk"
admin.site.site_title = "partnerdesk"
