"""API tokens through the API (``/api/v1/tokens/``): the security administrator lists,
creates and revokes them; a key is answered once, when it is created."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from registers.core import permissions as rules
from registers.core.api.permissions import UnscopedPermission
from registers.models import User

from .models import ApiToken
from .tokens import issue_token, revoke_token


class TokenSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), label=_("账号")
    )
    username = serializers.CharField(source="user.username", read_only=True, label=_("用户名"))
    role = serializers.CharField(source="user.role", read_only=True, label=_("角色"))
    state = serializers.SerializerMethodField(label=_("状态"))

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "user",
            "username",
            "role",
            "name",
            "prefix",
            "grants_personal_data",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "state",
        ]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
        extra_kwargs = {"expires_at": {"required": False}}

    def get_state(self, token) -> str:
        if token.revoked_at:
            return "revoked"
        return "expired" if token.is_expired else "usable"


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(
        read_only=True,
        label=_("令牌"),
        help_text=_("只在创建时返回这一次；请求头 Authorization: Token <令牌>"),
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class ManagesSecurity(UnscopedPermission):
    message = _("只有安全管理员可以管理接口令牌。")
    code = "security_admin_only"

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and rules.manages_security(request.user)


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """接口令牌（安全管理员管理）：一个账号可有多个令牌，各有名称和到期时间（默认一年）。
    新建时返回一次令牌原文，系统只保存摘要；`DELETE` 撤销令牌（立即失效，记录保留）。
    `grants_personal_data` 为真时，接口客户端可看到个人信息，否则脱敏。"""

    queryset = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
    serializer_class = TokenSerializer
    permission_classes = [permissions.IsAuthenticated, ManagesSecurity]
    filter_backends = []

    def get_serializer_class(self):
        return NewTokenSerializer if self.action == "create" else TokenSerializer

    @extend_schema(summary=_("创建令牌"), responses={201: NewTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = ApiToken(**serializer.validated_data)
        token.key = issue_token(token, by=request.user)
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("撤销令牌"))
    def destroy(self, request, *args, **kwargs):
        revoke_token(self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
