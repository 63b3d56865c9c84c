from django import forms
from django.contrib import admin

from crm.errors import DomainError

from .models import (
    POLICY_FIELDS,
    Collaborator,
    Credit,
    CreditAgreement,
    Ownership,
    OwnershipEvent,
    PoolPolicy,
)
from .services.policies import check_policy_bounds


class PoolPolicyAdminForm(forms.ModelForm):
    """The same bounds as the service's: the admin is one more door."""

    class Meta:
        model = PoolPolicy
        fields = ["team", *POLICY_FIELDS]

    def clean(self):
        cleaned = super().clean()
        for field in POLICY_FIELDS:
            try:
                check_policy_bounds({field: cleaned.get(field)})
            except DomainError as exc:
                self.add_error(field, exc.message)
        return cleaned


@admin.register(PoolPolicy)
class PoolPolicyAdmin(admin.ModelAdmin):
    form = PoolPolicyAdminForm
    list_display = [
        "__str__",
        "claim_limit",
        "protection_period",
        "followup_extension",
        "max_protection",
        "cooldown",
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ownership and its history are changed only by the services; here they are read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ownership)
class OwnershipAdmin(ReadOnlyAdmin):
    list_display = ["lead", "owner", "started_at", "protected_until", "ended_at", "end_kind"]
    list_filter = ["end_kind"]
    search_fields = ["lead__company_name", "owner__username", "owner__display_name"]
    list_select_related = ["lead", "owner"]


@admin.register(OwnershipEvent)
class OwnershipEventAdmin(ReadOnlyAdmin):
    list_display = ["lead", "kind", "from_owner", "to_owner", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["lead__company_name", "reason"]
    list_select_related = ["lead", "from_owner", "to_owner", "actor"]


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = ["deal", "rep", "share", "amount", "currency", "kind", "won_at", "at"]
    list_filter = ["kind", "currency"]
    search_fields = ["deal__title", "lead__company_name", "rep__display_name"]
    list_select_related = ["deal", "rep"]


@admin.register(Collaborator)
class CollaboratorAdmin(ReadOnlyAdmin):
    list_display = ["lead", "user", "invited_by", "added_at", "removed_at"]
    list_select_related = ["lead", "user", "invited_by"]


@admin.register(CreditAgreement)
class CreditAgreementAdmin(ReadOnlyAdmin):
    list_display = ["lead", "proposed_by", "status", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["lead", "proposed_by", "decided_by"]
