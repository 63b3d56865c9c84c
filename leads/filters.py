import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Lead


class LeadFilter(django_filters.FilterSet):
    """Search and filters shared by the API (`?q=&province=...`) and the list pages."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    province = django_filters.CharFilter(lookup_expr="exact", label=_("Province"))
    city = django_filters.CharFilter(lookup_expr="exact", label=_("City"))
    industry = django_filters.CharFilter(lookup_expr="exact", label=_("Industry"))
    status = django_filters.ChoiceFilter(choices=Lead.Status.choices, label=_("Status"))

    class Meta:
        model = Lead
        fields = ["q", "province", "city", "industry", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(company_name__icontains=value) | Q(uscc__iexact=value) | Q(website__icontains=value)
        )
