"""The intake door (`POST /api/v1/intake/`): customers handed in by other systems — web
forms, partners, scripts — with an API key (never a user's token or session; and the key
opens no other door). Same fields and checks as `POST /api/v1/leads/`; the answer says
whether a customer was created or an inquiry added to one on record, and never who owns
it."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.authentication import ApiKeyAuthentication, ApiKeyRequired
from accounts.api.permissions import HasApiKey
from accounts.api.throttles import ApiKeyRateThrottle
from crm.api.parsers import BoundedJSONParser
from crm.api.schema import Code, raises
from crm.errors import NotFound
from leads.exceptions import InvalidCountry, InvalidEmail, InvalidIdNumber, InvalidUscc, UnknownPool

from .. import services
from ..exceptions import (
    ClaimLimitReached,
    DuplicateInPool,
    DuplicateOwn,
    DuplicateOwned,
    InvalidTarget,
    OutOfScope,
    OwnershipConflict,
    PossibleDuplicate,
)
from ..services.intake import CREATED, INQUIRY
from .customer_serializers import ContactInput, LeadDetailsInput

MAX_MESSAGE_LENGTH = 5000


class IntakeInput(LeadDetailsInput):
    # A form cannot confirm a possible duplicate: the intake always does (see take_in).
    confirm_duplicate = None
    contacts = ContactInput(many=True, required=False, default=list, max_length=50)
    message = serializers.CharField(
        max_length=MAX_MESSAGE_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="What the customer wrote (the inquiry).",
    )


class IntakeOutput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[CREATED, INQUIRY],
        help_text="created: a new customer (201); inquiry: added to a customer on record (200).",
    )
    lead = serializers.IntegerField()


class IntakeApi(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    throttle_classes = [ApiKeyRateThrottle]
    parser_classes = [BoundedJSONParser]
    max_body_bytes = 64 * 1024

    @extend_schema(
        request=IntakeInput,
        responses={
            201: IntakeOutput,
            200: IntakeOutput,
            400: OpenApiResponse(description="Invalid input: {code, detail, errors}."),
            401: OpenApiResponse(description="No, an unknown or a revoked API key."),
            403: OpenApiResponse(description="A user's token or session (api_key_required)."),
            429: OpenApiResponse(description="Too many requests for this key (throttled)."),
        },
    )
    @raises(
        ApiKeyRequired,
        Code(401, "unknown_api_key", "No live key has this value."),
        Code(401, "api_key_revoked", "This key was revoked."),
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
        data = IntakeInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        outcome = services.take_in(
            api_key=request.auth,
            contacts=[dict(c) for c in values.pop("contacts")],
            message=values.pop("message"),
            fields=values,
        )
        code = status.HTTP_201_CREATED if outcome.status == CREATED else status.HTTP_200_OK
        return Response({"status": outcome.status, "lead": outcome.lead_id}, status=code)
