from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services

from .permissions import IsAdminRole
from .serializers import MeOutput, TeamInput, TeamOutput, TokenInput, UserInput, UserOutput


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        token = services.issue_token(**data.validated_data)
        return Response({"token": token.key})


class MeApi(APIView):
    def get(self, request):
        return Response(MeOutput(request.user).data)


class ByIdPagination(CursorPagination):
    ordering = "id"
    page_size = 100


class UserListCreateApi(APIView):
    permission_classes = [IsAdminRole]

    def get(self, request):
        paginator = ByIdPagination()
        page = paginator.paginate_queryset(selectors.list_users(actor=request.user), request, self)
        return Response({"results": UserOutput(page, many=True).data, "next": paginator.get_next_link()})

    def post(self, request):
        data = UserInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.create_user(actor=request.user, **data.validated_data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class TeamListCreateApi(APIView):
    permission_classes = [IsAdminRole]

    def get(self, request):
        teams = selectors.list_teams(actor=request.user)
        return Response({"results": TeamOutput(teams, many=True).data, "next": None})

    def post(self, request):
        data = TeamInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.create_team(actor=request.user, **data.validated_data)
        return Response(TeamOutput(team).data, status=status.HTTP_201_CREATED)
