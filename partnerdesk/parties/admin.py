from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from partnerdesk.contracts.actions import order_ensure_partnership
from partnerdesk.lib.admin import VendorAdmin, VendorInline
from partnerdesk.parties.models import CSTeam, Organisation, OrganisationKind, RoleGrant, User


class RoleGrantInline(VendorInline):
    model = RoleGrant
    extra = 1


class PersonInline(VendorInline):
    model = User
    fields = ("full_name", "email", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(VendorAdmin):
    list_display = (
        "display_name",
        "kind",
        "short_name",
        "city",
        "cs_team",
        "cs_responsible",
        "is_active",
    )
    list_filter = ("kind", "is_active", "cs_team")
    search_fields = ("name", "short_name", "city")
    list_select_related = ("cs_team", "cs_responsible")
    prepopulated_fields = {"short_name": ("name",)}
    inlines = [PersonInline]
    fieldsets = (
        (None, {"fields": ("kind", "name", "short_name", "city", "is_active")}),
        (
            _("Nur für Partner"),
            {"fields": ("cs_team", "cs_responsible", "coordinator", "project_lead", "hourly_rate")},
        ),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("cs_responsible", "project_lead"):
            kwargs["queryset"] = User.objects.filter(organisation__kind=OrganisationKind.VENDOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.kind == OrganisationKind.PARTNER:
            # Every partner has its standing partnership order from the start.
            order_ensure_partnership(partner=obj)


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "organisation")


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class PersonAdmin(VendorAdmin, DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ("full_name",)
    list_display = ("full_name", "email", "organisation", "is_active", "last_login")
    list_filter = ("organisation__kind", "is_active", "role_grants__role")
    list_select_related = ("organisation",)
    search_fields = ("full_name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "organisation", "phone", "language")}),
        (_("Zugang"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ()


class CSTeamForm(forms.ModelForm):
    class Meta:
        model = CSTeam
        fields = ("name", "email", "members")

    def clean_members(self):
        members = self.cleaned_data["members"]
        if any(member.organisation.kind != OrganisationKind.VENDOR for member in members):
            raise forms.ValidationError(
                _("Ein CS-Team besteht aus Mitarbeitenden des Herstellers.")
            )
        return members


@admin.register(CSTeam)
class CSTeamAdmin(VendorAdmin):
    form = CSTeamForm
    list_display = ("name", "email")
    search_fields = ("name",)
    filter_horizontal = ("members",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = User.objects.filter(organisation__kind=OrganisationKind.VENDOR)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
