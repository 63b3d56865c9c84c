from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from crm.api.pagination import NewestFirstPagination, OldestFirstPagination

from .permissions import IsAdminRole
from .serializers import (
    EmailPreferencesSerializer,
    MarkReadInput,
    MeOutput,
    NotificationOutput,
    TeamInput,
    TeamOutput,
    TokenInput,
    UserInput,
    UserOutput,
)


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenInput,
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
    )
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        token = services.issue_token(**data.validated_data)
        return Response({"token": token.key})


class MeApi(APIView):
    @extend_schema(responses=MeOutput)
    def get(self, request):
        return Response(MeOutput(request.user).data)


class UserListCreateApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(responses=UserOutput(many=True))
    def get(self, request):
        paginator = OldestFirstPagination()
        page = paginator.paginate_queryset(selectors.list_users(actor=request.user), request, self)
        return Response(
            {"results": UserOutput(page, many=True).data, "next": paginator.get_next_link()}
        )

    @extend_schema(request=UserInput, responses={201: UserOutput})
    def post(self, request):
        data = UserInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.create_user(actor=request.user, **data.validated_data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class TeamListCreateApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(responses=TeamOutput(many=True))
    def get(self, request):
        teams = selectors.list_teams(actor=request.user)
        return Response({"results": TeamOutput(teams, many=True).data, "next": None})

    @extend_schema(request=TeamInput, responses={201: TeamOutput})
    def post(self, request):
        data = TeamInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.create_team(actor=request.user, **data.validated_data)
        return Response(TeamOutput(team).data, status=status.HTTP_201_CREATED)


class NotificationListApi(APIView):
    """The signed-in user's notifications, newest first; `?unread=1` for unread only."""

    @extend_schema(responses=NotificationOutput(many=True))
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
