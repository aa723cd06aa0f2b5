"""The API: every resource of both apps under /api/v1/, the annual report, the schema and
its documentation page (served from local static files, works offline)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from registers.api import ROUTES as REGISTER_ROUTES
from registers.core.api.viewsets import require_scoped_viewsets
from reviews.api import ROUTES as REVIEW_ROUTES
from xianan_lawgov.reports.api import urlpatterns as report_urls

router = DefaultRouter()
router.trailing_slash = "/?"  # accept both /units and /units/, and export.csv without a slash
router.include_format_suffixes = False
for prefix, viewset in [*REGISTER_ROUTES, *REVIEW_ROUTES]:
    router.register(prefix, viewset, basename=prefix)
# Every resource follows the one scoping rule, or the API does not start.
require_scoped_viewsets(router.registry)

urlpatterns = [
    # Excel templates and uploads (registers.exchange_api): /v1/templates/…, /v1/uploads/…
    path("v1/", include("registers.exchange_api")),
    path("v1/", include([*router.urls, *report_urls])),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
