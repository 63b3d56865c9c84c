from rest_framework.pagination import CursorPagination
from rest_framework.response import Response


class NewestFirstPagination(CursorPagination):
    """`{results, next}`: cursor pages stay stable while leads are claimed and created."""

    ordering = "-id"
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {"results": schema, "next": {"type": "string", "nullable": True}},
        }


class OldestFirstPagination(NewestFirstPagination):
    """Stable lists such as users: in creation order, 100 a page."""

    ordering = "id"
    page_size = 100
