"""What a browser, a proxy or a shared cache may keep.

Every answer to a signed-in user (pages, the admin, the API with a session or a token,
exports, reports) is ``Cache-Control: private, no-store``: it shows records of a unit and
personal data, and must not stay in a shared cache or on a shared computer's disk after the
user signs out. Static files and public pages keep their own caching, and so do the health
probes (``never_cache``): they never look at the user, so nothing here touches them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from xianan_lawgov.request_log import user_id_of

PRIVATE = "private, no-store"


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only a request that found out its user can have been answered for that user; the
        # check makes no query (user_id_of).
        if user_id_of(request) is not None:
            response["Cache-Control"] = PRIVATE
        return response
