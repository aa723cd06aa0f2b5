"""API of the background jobs (routed under /api/v1/jobs/).

- ``GET /api/v1/jobs/``                  the caller's jobs (office staff: every job);
- ``GET /api/v1/jobs/<id>/``             one job: status, progress, result or failure reason;
- ``GET /api/v1/jobs/<id>/download/``    the file the job made (a report), when it has one.

Jobs belong to whoever started them (``Job.objects.visible_to``): another user's job is 404.
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.views import APIView

from registers.core import jobs
from registers.core.models import Job

from .jobs import file_response, get_job_for_user, has_file_for, waiting_message


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    user = serializers.CharField(source="user.username", default=None, read_only=True)
    progress = serializers.SerializerMethodField(help_text=_("进行中时已处理的行数和总行数。"))
    message = serializers.SerializerMethodField(
        help_text=_("未完成时的说明，如后台任务进程未运行。")
    )
    url = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField(help_text=_("生成的文件的地址；没有文件时为空。"))

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "kind",
            "kind_label",
            "title",
            "user",
            "status",
            "status_label",
            "progress",
            "message",
            "result",
            "error",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_url(self, job: Job) -> str:
        return self._absolute(reverse("api-job", args=[job.pk]))

    def get_progress(self, job: Job) -> dict | None:
        reported = jobs.progress(job.pk) if job.status == "running" else None
        return {"done": reported[0], "total": reported[1]} if reported else None

    def get_message(self, job: Job) -> str:
        return waiting_message(job)

    def get_download(self, job: Job) -> str | None:
        request = self.context.get("request")
        if request is None or not has_file_for(request, job):
            return None
        return self._absolute(reverse("api-job-download", args=[job.pk]))


class JobListView(generics.ListAPIView):
    serializer_class = JobSerializer
    filter_backends = []

    @extend_schema(summary=_("后台任务"), tags=["jobs"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user).select_related("user")


class JobDetailView(generics.RetrieveAPIView):
    serializer_class = JobSerializer

    @extend_schema(summary=_("一个后台任务"), tags=["jobs"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return get_job_for_user(self.request.user, self.kwargs["pk"])


class JobDownloadView(APIView):
    @extend_schema(
        summary=_("下载任务生成的文件"),
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description=_("没有这个任务，或它没有可下载的文件。")),
        },
        tags=["jobs"],
    )
    def get(self, request, pk: int):
        return file_response(get_job_for_user(request.user, pk), request)


urlpatterns = [
    path("jobs/", JobListView.as_view(), name="api-jobs"),
    path("jobs/<int:pk>/", JobDetailView.as_view(), name="api-job"),
    path("jobs/<int:pk>/download/", JobDownloadView.as_view(), name="api-job-download"),
]
