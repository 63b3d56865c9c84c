from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.access import can_administer
from accounts.exceptions import (
    ApiKeySourceTaken,
    CannotChangeSelf,
    InvalidApiKey,
    InvalidAwayPeriod,
    InvalidCapacity,
    InvalidCredentials,
    InvalidFilter,
    InvalidUserChange,
    LoginLockedOut,
    NotAManager,
    StillManagesTeams,
    TeamNameTaken,
    TokenRequired,
)
from accounts.models import AuditEvent
from crm.api.pagination import NewestFirstPagination, OldestFirstPagination
from crm.api.schema import page_of, raises
from crm.errors import PermissionDenied

from .permissions import IsAdminRole
from .serializers import (
    ApiKeyCreatedOutput,
    ApiKeyInput,
    ApiKeyOutput,
    AuditEventOutput,
    EmailPreferencesSerializer,
    MarkReadInput,
    MeOutput,
    NotificationOutput,
    PasswordChangeInput,
    TeamInput,
    TeamOutput,
    TeamPatchInput,
    TokenInput,
    UserDetailOutput,
    UserInput,
    UserOutput,
    UserPatchInput,
)


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenInput,
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
    )
    @raises(InvalidCredentials, LoginLockedOut)
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            token = services.issue_token(request=request, **data.validated_data)
        except LoginLockedOut as exc:
            return Response(
                exc.as_dict(),
                status=exc.status,
                headers={"Retry-After": str(exc.extra["retry_after"])},
            )
        return Response({"token": token.key})


class PasswordChangeApi(APIView):
    """Change your own password (`{old_password, new_password}`, 204). Every API token of
    yours stops working, this one included: ask for a new one."""

    @extend_schema(request=PasswordChangeInput, responses={204: None})
    @raises(InvalidCredentials, InvalidUserChange)
    def post(self, request):
        data = PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.change_password(user=request.user, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeApi(APIView):
    """The token this request carries stops working (204). A session has no token to
    revoke (400 `token_required`: sign out instead)."""

    @extend_schema(request=None, responses={204: None})
    @raises(TokenRequired)
    def post(self, request):
        services.revoke_token(actor=request.user, token=request.auth, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    @extend_schema(responses=MeOutput)
    def get(self, request):
        return Response(MeOutput(request.user).data)


class UserListCreateApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(responses=page_of(UserOutput, cursor=True))
    def get(self, request):
        paginator = OldestFirstPagination()
        page = paginator.paginate_queryset(selectors.list_users(actor=request.user), request, self)
        return Response(
            {"results": UserOutput(page, many=True).data, "next": paginator.get_next_link()}
        )

    @extend_schema(request=UserInput, responses={201: UserOutput})
    @raises(InvalidCapacity)
    def post(self, request):
        data = UserInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.create_user(actor=request.user, **data.validated_data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class TeamListCreateApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(responses=page_of(TeamOutput))
    def get(self, request):
        teams = selectors.list_teams(actor=request.user)
        return Response({"results": TeamOutput(teams, many=True).data, "next": None})

    @extend_schema(request=TeamInput, responses={201: TeamOutput})
    @raises(InvalidUserChange, NotAManager, TeamNameTaken)
    def post(self, request):
        data = TeamInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.create_team(actor=request.user, **data.validated_data)
        return Response(TeamOutput(team).data, status=status.HTTP_201_CREATED)


class UserDetailApi(APIView):
    """One user: admins read and change anyone; a manager reads the members of their teams.
    PATCH takes any of `capacity` (null: the team's claim limit), `away` (replaces the
    current and future away periods: [{from, to, reason}], a date `to` counts whole),
    `active`, `team`, `role`, `display_name`, `email`, all in one transaction."""

    @extend_schema(responses=UserDetailOutput)
    @raises(PermissionDenied)
    def get(self, request, user_id: int):
        user = selectors.get_user_for(actor=request.user, user_id=user_id)
        return Response(UserDetailOutput(user).data)

    @extend_schema(request=UserPatchInput, responses=UserDetailOutput)
    @raises(
        CannotChangeSelf,
        InvalidAwayPeriod,
        InvalidCapacity,
        InvalidUserChange,
        StillManagesTeams,
    )
    def patch(self, request, user_id: int):
        # Refused before the body is read: a manager learns nothing from validation errors.
        if not can_administer(request.user):
            raise PermissionDenied()
        data = UserPatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_user(actor=request.user, user_id=user_id, **data.changes())
        user = selectors.get_user_for(actor=request.user, user_id=user_id)
        return Response(UserDetailOutput(user).data)


class TeamDetailApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(responses=TeamOutput)
    @raises(PermissionDenied)
    def get(self, request, team_id: int):
        return Response(
            TeamOutput(selectors.get_team_for(actor=request.user, team_id=team_id)).data
        )

    @extend_schema(request=TeamPatchInput, responses=TeamOutput)
    @raises(InvalidUserChange, NotAManager, TeamNameTaken)
    def patch(self, request, team_id: int):
        data = TeamPatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_team(actor=request.user, team_id=team_id, **data.validated_data)
        return Response(
            TeamOutput(selectors.get_team_for(actor=request.user, team_id=team_id)).data
        )


class ApiKeyListCreateApi(APIView):
    """Keys for other systems (`POST /api/v1/intake/`), one live key per source. The key
    itself is in the answer to POST only; afterwards only its first characters (`prefix`)."""

    permission_classes = [IsAdminRole]

    @extend_schema(responses=page_of(ApiKeyOutput))
    @raises(PermissionDenied)
    def get(self, request):
        keys = selectors.list_api_keys(actor=request.user)
        return Response({"results": ApiKeyOutput(keys, many=True).data, "next": None})

    @extend_schema(request=ApiKeyInput, responses={201: ApiKeyCreatedOutput})
    @raises(ApiKeySourceTaken, InvalidApiKey)
    def post(self, request):
        data = ApiKeyInput(data=request.data)
        data.is_valid(raise_exception=True)
        key, raw = services.create_api_key(actor=request.user, **data.validated_data)
        body = ApiKeyCreatedOutput(key, context={"raw_key": raw}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyApi(APIView):
    """DELETE revokes a key: it stops working at once; the record stays, with
    `revoked_at`. Revoking twice is harmless."""

    permission_classes = [IsAdminRole]

    @extend_schema(
        operation_id="api_keys_revoke_delete", request=None, responses={200: ApiKeyOutput}
    )
    def delete(self, request, key_id: int):
        key = services.revoke_api_key(actor=request.user, key_id=key_id)
        return Response(ApiKeyOutput(key).data)


class ApiKeyRevokeApi(APIView):
    """POST .../revoke/: the same as DELETE on the key."""

    permission_classes = [IsAdminRole]

    @extend_schema(operation_id="api_keys_revoke", request=None, responses=ApiKeyOutput)
    def post(self, request, key_id: int):
        key = services.revoke_api_key(actor=request.user, key_id=key_id)
        return Response(ApiKeyOutput(key).data)


class NotificationListApi(APIView):
    """The signed-in user's notifications, newest first; `?unread=1` for unread only."""

    @extend_schema(
        responses=page_of(
            NotificationOutput,
            cursor=True,
            unread=serializers.IntegerField(help_text="Your unread notifications, all pages."),
        )
    )
    def get(self, request):
        items = selectors.list_notifications(user=request.user)
        if request.query_params.get("unread") in ("1", "true"):
            items = items.filter(read_at__isnull=True)
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(items, request, self)
        body = {
            "results": NotificationOutput(page, many=True).data,
            "next": paginator.get_next_link(),
            "unread": selectors.count_unread(user=request.user),
        }
        return Response(body)


class NotificationReadApi(APIView):
    """Mark `ids` (or, without ids, all) of your notifications as read."""

    @extend_schema(
        request=MarkReadInput,
        responses=inline_serializer("MarkReadOutput", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        data = MarkReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.mark_notifications_read(
            user=request.user, notification_ids=data.validated_data.get("ids")
        )
        return Response({"marked": marked})


class NotificationPreferencesApi(APIView):
    @extend_schema(responses=EmailPreferencesSerializer)
    def get(self, request):
        return Response({"email_muted_kinds": request.user.email_muted_kinds})

    @extend_schema(request=EmailPreferencesSerializer, responses=EmailPreferencesSerializer)
    def put(self, request):
        data = EmailPreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_email_muted_kinds(
            user=request.user, kinds=data.validated_data["email_muted_kinds"]
        )
        return Response({"email_muted_kinds": request.user.email_muted_kinds})


class AuditEventListApi(APIView):
    """Admins: the audit record, newest first (`?kind=`, `?user=<id>`), `{results, next}`."""

    permission_classes = [IsAdminRole]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=AuditEvent.Kind.values),
            OpenApiParameter("user", int),
        ],
        responses=page_of(AuditEventOutput, cursor=True),
    )
    @raises(InvalidFilter)
    def get(self, request):
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in AuditEvent.Kind.values:
            raise InvalidFilter(_("Unknown kind of audit event."))
        user = request.query_params.get("user") or None
        if user is not None and (not user.isdigit() or len(user) > 18):
            raise InvalidFilter(_("`user` must be a user's id."))
        events = selectors.list_audit_events(
            actor=request.user, kind=kind, user_id=int(user) if user else None
        )
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(events, request, self)
        return Response(
            {"results": AuditEventOutput(page, many=True).data, "next": paginator.get_next_link()}
        )
