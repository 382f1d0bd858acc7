from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnerdesk.contracts.models import Contract, Order, ServiceType
from partnerdesk.lib.admin import VendorAdmin
from partnerdesk.parties.models import OrganisationKind, User


@admin.register(Contract)
class ContractAdmin(VendorAdmin):
    list_display = (
        "number",
        "customer",
        "partner",
        "valid_from",
        "valid_until",
        "sla_calendar",
        "sla_canton",
        "filers",
        "bill_to",
        "hourly_rate",
    )
    list_filter = ("sla_calendar", "sla_canton", "filers", "bill_to")
    search_fields = ("number", "customer__name", "partner__name", "product")
    list_select_related = ("customer", "partner")
    autocomplete_fields = ("customer", "partner")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "customer",
                    "partner",
                    "cs_team",
                    "product",
                    "valid_from",
                    "valid_until",
                )
            },
        ),
        (_("SLA"), {"fields": ("sla_first_check_hours", "sla_calendar", "sla_canton")}),
        (_("Regeln und Satz"), {"fields": ("filers", "bill_to", "hourly_rate")}),
    )


@admin.register(ServiceType)
class ServiceTypeAdmin(VendorAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Order)
class OrderAdmin(VendorAdmin):
    list_display = ("number", "kind", "partner", "customer", "title", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("number", "title", "partner__name", "customer__name")
    list_select_related = ("partner", "customer")
    autocomplete_fields = ("partner", "customer")
    filter_horizontal = ("free_service_types", "dedicated_staff")
    fieldsets = (
        (None, {"fields": ("number", "kind", "partner", "customer", "title", "is_active")}),
        (
            _("Lead-Auftrag"),
            {"fields": ("approved_free_hours", "approved_by", "free_service_types")},
        ),
        (
            _("Planbarer Partnersupport"),
            {"fields": ("starts_on", "ends_on", "capacity_hours", "dedicated_staff")},
        ),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "approved_by":
            kwargs["queryset"] = User.objects.filter(organisation__kind=OrganisationKind.VENDOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "dedicated_staff":
            kwargs["queryset"] = User.objects.filter(organisation__kind=OrganisationKind.VENDOR)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
