from django.contrib import admin
from django.urls import include, path

from registers.admin.base import require_scoped_admins
from xianan_lawgov import health
from xianan_lawgov.workspace.views import AdminLoginView

# Every admin page follows the one scoping rule, or the site does not start.
require_scoped_admins(admin.site)

# Pages in the site's layout, JSON in the API's shape; 503 when the database is down.
handler400 = "xianan_lawgov.outage.bad_request"
handler403 = "xianan_lawgov.outage.permission_denied"
handler404 = "xianan_lawgov.outage.page_not_found"
handler500 = "xianan_lawgov.outage.server_error"

urlpatterns = [
    # One login for the site and the admin: the same lockout, second factor and audit.
    path("admin/login/", AdminLoginView.as_view(), name="admin-login"),
    # For the load balancer and monitoring (deploy/ and docs/deploy.md).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("xianan_lawgov.api")),
    path("account/", include("xianan_lawgov.accounts.urls")),
    path("reports/", include("xianan_lawgov.reports.urls")),
    path("", include("registers.urls")),
    path("", include("reviews.urls")),
    path("", include("xianan_lawgov.workspace.urls")),
]
