from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.pagination import NewestFirstPagination
from crm.api.schema import page_of, raises
from crm.errors import NotFound, PermissionDenied
from leads.dedupe.identity import identity_of_payload
from leads.exceptions import (
    FollowUpInFuture,
    InvalidCountry,
    InvalidEmail,
    InvalidIdNumber,
    InvalidUscc,
    UnknownPool,
)
from leads.filters import LeadFilter
from leads.models import Lead

from .. import access, selectors, services
from ..exceptions import (
    CannotMerge,
    ClaimLimitReached,
    DuplicateInPool,
    DuplicateOwn,
    DuplicateOwned,
    InvalidRule,
    InvalidTarget,
    MergeWonLead,
    NotOwned,
    OutOfScope,
    OwnershipConflict,
    PossibleDuplicate,
)
from .customer_serializers import (
    ContactCreateInput,
    ContactOutput,
    ContactUpdateInput,
    DuplicateCheckInput,
    DuplicateCheckOutput,
    FollowUpInput,
    FollowUpOutput,
    LeadDetailsInput,
    LeadImportInput,
    LeadImportOutput,
    LeadInput,
    LeadOutput,
    MergeInput,
)

LIST_PARAMS = [
    OpenApiParameter("scope", OpenApiTypes.STR, enum=list(selectors.SCOPES), default="all"),
    OpenApiParameter("q", OpenApiTypes.STR, description="company name, website or credit code"),
    OpenApiParameter("province", OpenApiTypes.STR),
    OpenApiParameter("city", OpenApiTypes.STR),
    OpenApiParameter("industry", OpenApiTypes.STR),
    OpenApiParameter("status", OpenApiTypes.STR, enum=[s.value for s in Lead.Status]),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


def scope_param(request) -> str:
    """The list's `scope` (the export takes the same): 400 for one that does not exist."""
    scope = request.query_params.get("scope", "all")
    if scope not in selectors.SCOPES:
        raise serializers.ValidationError(
            {"scope": [serializers.ErrorDetail(_("Unknown scope."), code="invalid_choice")]}
        )
    return scope


class LeadListCreateApi(APIView):
    @extend_schema(
        parameters=LIST_PARAMS,
        responses=page_of(LeadOutput, cursor=True),
    )
    @raises(PermissionDenied)
    def get(self, request):
        scope = scope_param(request)
        leads = selectors.list_leads_visible_to(user=request.user, scope=scope)
        filters = LeadFilter(request.query_params, queryset=leads)
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors)
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(
            filters.qs.select_related("created_by").prefetch_related("contacts"), request, self
        )
        selectors.attach_live_ownership(page, viewer=request.user)
        data = LeadOutput(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=LeadInput, responses={201: LeadOutput})
    @raises(
        ClaimLimitReached,
        DuplicateInPool,
        DuplicateOwn,
        DuplicateOwned,
        InvalidCountry,
        InvalidEmail,
        InvalidIdNumber,
        InvalidTarget,
        InvalidUscc,
        NotFound,
        OutOfScope,
        OwnershipConflict,
        PossibleDuplicate,
        UnknownPool,
    )
    def post(self, request):
        data = LeadInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("status")  # always `new`
        lead = services.create_lead(
            actor=request.user,
            owner_id=values.pop("owner"),
            pool_team_id=values.pop("pool_team"),
            **values,
        )
        # Visible to its creator by construction (their own, or a pool in their scope).
        selectors.attach_live_ownership([lead])
        return Response(
            LeadOutput(lead, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class LeadDetailApi(APIView):
    @extend_schema(responses=LeadOutput)
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        return Response(LeadOutput(lead, context={"request": request}).data)

    @extend_schema(request=LeadDetailsInput(partial=True), responses=LeadOutput)
    @raises(
        DuplicateInPool,
        DuplicateOwn,
        DuplicateOwned,
        InvalidCountry,
        InvalidIdNumber,
        InvalidUscc,
        PossibleDuplicate,
        NotOwned,
    )
    def patch(self, request, lead_id: int):
        data = LeadDetailsInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_lead(lead_id=lead_id, actor=request.user, **data.validated_data)
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        return Response(LeadOutput(lead, context={"request": request}).data)


class LeadDuplicateCheckApi(APIView):
    """查重: which existing customers a lead with these details would duplicate. Answers who
    owns them and until when, never their contact details."""

    throttle_scope = "duplicate_checks"

    @extend_schema(request=DuplicateCheckInput, responses=DuplicateCheckOutput)
    @raises(InvalidCountry, InvalidUscc)
    def post(self, request):
        data = DuplicateCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        identity = identity_of_payload(data.validated_data)
        matches = selectors.find_duplicates(identity)
        return Response({"matches": [m.as_dict() for m in matches]})


class LeadDuplicatesApi(APIView):
    """The customers an existing lead may duplicate (what a manager merges from)."""

    throttle_scope = "duplicate_checks"

    @extend_schema(responses=DuplicateCheckOutput)
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        matches = selectors.find_duplicates_of_lead(lead)
        return Response({"matches": [m.as_dict() for m in matches]})


class LeadMergeApi(APIView):
    @extend_schema(request=MergeInput, responses=LeadOutput)
    @raises(CannotMerge, MergeWonLead, OwnershipConflict)
    def post(self, request, lead_id: int):
        data = MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.merge_leads(
            survivor_id=lead_id,
            merged_id=data.validated_data["lead"],
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        return Response(LeadOutput(lead, context={"request": request}).data)


class LeadContactsApi(APIView):
    @extend_schema(request=ContactCreateInput, responses={201: ContactOutput})
    @raises(
        DuplicateInPool,
        DuplicateOwn,
        DuplicateOwned,
        InvalidEmail,
        InvalidRule,
        PossibleDuplicate,
        NotOwned,
    )
    def post(self, request, lead_id: int):
        data = ContactCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.add_contact(lead_id=lead_id, actor=request.user, **data.validated_data)
        return Response(ContactOutput(contact).data, status=status.HTTP_201_CREATED)


class LeadContactApi(APIView):
    @extend_schema(request=ContactUpdateInput, responses=ContactOutput)
    @raises(
        DuplicateInPool,
        DuplicateOwn,
        DuplicateOwned,
        InvalidEmail,
        PossibleDuplicate,
        NotOwned,
        PermissionDenied,
    )
    def patch(self, request, lead_id: int, contact_id: int):
        data = ContactUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.update_contact(
            lead_id=lead_id, contact_id=contact_id, actor=request.user, **data.validated_data
        )
        return Response(ContactOutput(contact).data)


class LeadFollowUpsApi(APIView):
    @extend_schema(responses=page_of(FollowUpOutput))
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        followups = lead.followups.select_related("author").order_by("occurred_at", "id")
        return Response({"results": FollowUpOutput(followups, many=True).data, "next": None})

    @extend_schema(request=FollowUpInput, responses={201: FollowUpOutput})
    @raises(FollowUpInFuture, NotOwned)
    def post(self, request, lead_id: int):
        data = FollowUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        followup = services.log_followup(lead_id=lead_id, actor=request.user, **data.validated_data)
        return Response(FollowUpOutput(followup).data, status=status.HTTP_201_CREATED)


MAX_API_ROWS = 1000


class LeadImportApi(APIView):
    """Admins and managers import a list: each row through the same checks as one creation
    (duplicates against the database and the rows before it); refused rows say why."""

    throttle_scope = "imports"

    @extend_schema(request=LeadImportInput, responses=LeadImportOutput)
    @raises(
        ClaimLimitReached,
        DuplicateInPool,
        DuplicateOwn,
        DuplicateOwned,
        InvalidCountry,
        InvalidEmail,
        InvalidIdNumber,
        InvalidRule,
        InvalidTarget,
        InvalidUscc,
        NotFound,
        OutOfScope,
        OwnershipConflict,
        PossibleDuplicate,
        UnknownPool,
    )
    def post(self, request):
        access.ensure_can_import(request.user)
        data = LeadImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rows = values["rows"] or services.rows_from_csv(values["csv"])
        if len(rows) > MAX_API_ROWS:
            raise serializers.ValidationError(
                {
                    "rows": [
                        serializers.ErrorDetail(
                            _("At most 1,000 rows per request."), code="too_many_rows"
                        )
                    ]
                }
            )
        report = services.import_leads(
            actor=request.user,
            rows=rows,
            confirm_duplicates=values["confirm_duplicates"],
            pool_team_id=values["pool_team"],
        )
        return Response(
            {
                "created": report.created,
                "counts": report.counts(),
                "results": [r.as_dict() for r in report.results],
            }
        )
