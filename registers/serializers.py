from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registers.api_base import ModelCleanSerializer
from registers.models import Unit


class UnitSerializer(ModelCleanSerializer):
    kind_label = serializers.CharField(
        source="get_kind_display", read_only=True, label=_("类别名称")
    )
    is_active = serializers.BooleanField(read_only=True, label=_("存续"))

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "is_enforcement_body",
            "closed_on",
            "is_active",
        ]
