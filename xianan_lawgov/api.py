"""The API: every resource of both apps under /api/v1/, the annual report, API tokens, the
schema and its documentation page (served from local static files, works offline; behind
login unless ``LAWGOV_API_DOCS_PUBLIC``)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from registers.api import ROUTES as REGISTER_ROUTES
from registers.core.api.viewsets import require_scoped_viewsets
from reviews.api import ROUTES as REVIEW_ROUTES
from xianan_lawgov.accounts.api import TokenViewSet
from xianan_lawgov.reports.api import urlpatterns as report_urls
from xianan_lawgov.workspace.jobs_api import urlpatterns as job_urls

router = DefaultRouter()
router.trailing_slash = "/?"  # accept both /units and /units/, and export.csv without a slash
router.include_format_suffixes = False
for prefix, viewset in [*REGISTER_ROUTES, *REVIEW_ROUTES, ("tokens", TokenViewSet)]:
    router.register(prefix, viewset, basename=prefix)
# Every resource follows the one scoping rule, or the API does not start.
require_scoped_viewsets(router.registry)

# The page's script is served as a file of its own (no inline script: CSP).
docs = SpectacularSwaggerSplitView.as_view(url_name="api-schema")
if not settings.LAWGOV_SECURITY["API_DOCS_PUBLIC"]:
    docs = login_required(docs)

urlpatterns = [
    # Excel templates and uploads (registers.exchange_api): /v1/templates/…, /v1/uploads/…
    path("v1/", include("registers.exchange_api")),
    path("v1/", include([*router.urls, *report_urls])),
    # Background jobs, each seen by whoever started it (and the office): /v1/jobs/…
    path("v1/", include(job_urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs, name="api-docs"),
]
