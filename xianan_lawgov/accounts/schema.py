"""How the API documentation describes the token login (``ApiTokenAuthentication``) and the
browser session (``SessionAuthentication``), in the API's language: drf-spectacular's own
descriptions are English or missing."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "xianan_lawgov.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's scheme for every TokenAuthentication

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "接口令牌：请求头 Authorization 写 “Token ” 加令牌。令牌由安全管理员在管理后台"
                "签发，有有效期，可随时吊销。"
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "xianan_lawgov.accounts.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": _(
                "登录网页后浏览器的会话；修改数据的请求还须带请求头 X-CSRFToken（与 Cookie "
                "csrftoken 相同）。"
            ),
        }
