"""Transfer requests (转移申请) and their decisions (转移审批) over the API."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.pagination import NewestFirstPagination
from crm.api.schema import page_of, raises
from crm.errors import NotFound

from .. import access, selectors, services
from ..exceptions import (
    AlreadyDecided,
    AlreadyOwner,
    CannotRequestTransfer,
    ClaimLimitReached,
    InvalidAttempted,
    InvalidTarget,
    LeadInPool,
    OwnershipConflict,
    ReasonRequired,
    RequestStale,
    TransferAlreadyRequested,
)
from ..models import TransferRequest
from .transfer_serializers import (
    ApproveInput,
    RejectInput,
    TransferListQuery,
    TransferRequestInput,
    TransferRequestOutput,
)


def _answer(request_id: int, status: int = 200) -> Response:
    transfer = TransferRequest.objects.select_related(
        "lead", "requester", "owner", "decided_by"
    ).get(pk=request_id)
    return Response(TransferRequestOutput(transfer).data, status=status)


class LeadTransferRequestsApi(APIView):
    """A rep asks for a customer another rep owns; the owner's manager decides."""

    throttle_scope = "transfer_requests"

    @extend_schema(request=TransferRequestInput, responses={201: TransferRequestOutput})
    @raises(
        AlreadyOwner,
        CannotRequestTransfer,
        InvalidAttempted,
        LeadInPool,
        TransferAlreadyRequested,
    )
    def post(self, request, lead_id: int):
        data = TransferRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = services.request_transfer(
            lead_id=lead_id, actor=request.user, **data.validated_data
        )
        return _answer(transfer.pk, status=201)


class TransferRequestListApi(APIView):
    """A rep's own requests; a manager's also those for their teams' customers and those
    their reps made; admins all. Filter by `status`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=[value for value, _ in TransferRequest.Status.choices])
        ],
        responses=page_of(TransferRequestOutput, cursor=True),
    )
    def get(self, request):
        query = TransferListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        requests = selectors.list_transfer_requests_visible_to(
            user=request.user, status=query.validated_data.get("status")
        )
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(requests, request, self)
        return paginator.get_paginated_response(TransferRequestOutput(page, many=True).data)


class TransferRequestApi(APIView):
    @extend_schema(responses=TransferRequestOutput)
    def get(self, request, request_id: int):
        transfer = (
            selectors.list_transfer_requests_visible_to(user=request.user)
            .filter(pk=request_id)
            .first()
        )
        if transfer is None or not access.can_see_transfer_request(request.user, transfer):
            raise NotFound()
        return Response(TransferRequestOutput(transfer).data)


class TransferApproveApi(APIView):
    """The owner's manager (or an admin) moves the customer to the requester: 409
    `claim_limit_reached` unless `override_limit`, 409 `request_stale` when the owner
    changed (the request is then closed), 409 `already_decided` when decided meanwhile."""

    @extend_schema(request=ApproveInput, responses=TransferRequestOutput)
    @raises(AlreadyDecided, ClaimLimitReached, InvalidTarget, OwnershipConflict, RequestStale)
    def post(self, request, request_id: int):
        data = ApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.approve_transfer(request_id=request_id, actor=request.user, **data.validated_data)
        return _answer(request_id)


class TransferRejectApi(APIView):
    @extend_schema(request=RejectInput, responses=TransferRequestOutput)
    @raises(AlreadyDecided, ReasonRequired, RequestStale)
    def post(self, request, request_id: int):
        data = RejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.reject_transfer(request_id=request_id, actor=request.user, **data.validated_data)
        return _answer(request_id)


class TransferWithdrawApi(APIView):
    @extend_schema(request=None, responses=TransferRequestOutput)
    @raises(AlreadyDecided, RequestStale)
    def post(self, request, request_id: int):
        services.withdraw_transfer(request_id=request_id, actor=request.user)
        return _answer(request_id)
