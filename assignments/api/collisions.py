"""The collision log (撞单记录) over the API: `GET /api/v1/collisions/`."""

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.api.serializers import UserRef
from crm.api.fields import IdField
from crm.api.pagination import NewestFirstPagination
from crm.api.schema import page_of

from .. import selectors
from ..models import Collision


class CollisionOutput(serializers.ModelSerializer):
    user = UserRef()
    owner = UserRef(allow_null=True, help_text="Whose customer it was (empty: in the pool).")
    company_name = serializers.CharField(source="lead.company_name")

    class Meta:
        model = Collision
        fields = [
            "id",
            "lead",
            "company_name",
            "user",
            "owner",
            "code",
            "attempted",
            "reasons",
            "confirmed",
            "at",
        ]


class CollisionQuery(serializers.Serializer):
    lead = IdField(required=False)
    user = IdField(required=False)
    code = serializers.ChoiceField(choices=Collision.Code.choices, required=False)


class CollisionListApi(APIView):
    """Refused claims and duplicates: your own; a manager's also their teams'; all for an
    admin. Filter by `lead`, `user`, `code`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("lead", OpenApiTypes.INT),
            OpenApiParameter("user", OpenApiTypes.INT),
            OpenApiParameter("code", enum=[value for value, _ in Collision.Code.choices]),
        ],
        responses=page_of(CollisionOutput, cursor=True),
    )
    def get(self, request):
        query = CollisionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        collisions = selectors.list_collisions_visible_to(user=request.user)
        values = query.validated_data
        if "lead" in values:
            collisions = collisions.filter(lead_id=values["lead"])
        if "user" in values:
            collisions = collisions.filter(user_id=values["user"])
        if "code" in values:
            collisions = collisions.filter(code=values["code"])
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(collisions, request, self)
        return paginator.get_paginated_response(CollisionOutput(page, many=True).data)
