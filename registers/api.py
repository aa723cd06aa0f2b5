"""REST viewsets of the registers app; routes are collected by ``xianan_lawgov.api``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from registers.api_base import ExportMixin, ScopedViewSet
from registers.filters import UnitFilter
from registers.models import Unit
from registers.serializers import UnitSerializer


@extend_schema_view(
    list=extend_schema(summary=_("单位列表")),
    retrieve=extend_schema(summary=_("单位详情")),
)
class UnitViewSet(ExportMixin, ScopedViewSet):
    """区政府、区直部门、垂直管理单位和乡镇（街道）。所有角色可读，法制办可改。"""

    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    search_fields = ["name", "short_name", "code"]
    ordering_fields = ["code", "name", "kind"]
    ordering = ["kind", "code"]
    export_fields = ("id", "code", "name", "short_name", "kind", "is_enforcement_body", "closed_on")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("kind", "code")


ROUTES = [("units", UnitViewSet)]
