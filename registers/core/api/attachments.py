"""Evidence files of a record in the API: ``/<resource>/<id>/attachments/`` and below.

The record is found through its viewset (another unit's record, and so its files, is 404);
files are added, replaced and deleted as the record may change (``ScopedPermission``, then
the service on the locked row: ``registers.core.attachments``).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from registers.core import attachments as service
from registers.core.api.labels import ChoiceLabelField
from registers.core.models import Attachment, AttachmentKind

#: The viewset actions that read or write a record's files (``ScopedPermission`` checks
#: writes against the record's change rule, not its delete rule).
ATTACHMENT_ACTIONS = ("attachments", "attachment", "attachment_download")


class AttachmentSerializer(serializers.ModelSerializer):
    """A file's metadata, with where to download it."""

    kind_label = ChoiceLabelField("kind", label=gettext_lazy("材料类型名称"))
    content_type = serializers.CharField(
        source="mime_type", read_only=True, label=gettext_lazy("文件类型")
    )
    uploaded_by = serializers.CharField(
        source="uploaded_by.username",
        read_only=True,
        default=None,
        label=gettext_lazy("上传人"),
    )
    replaces = serializers.IntegerField(
        source="replaces_id", read_only=True, label=gettext_lazy("替换的版本")
    )
    url = serializers.SerializerMethodField(label=gettext_lazy("附件信息地址"))
    download_url = serializers.SerializerMethodField(label=gettext_lazy("下载地址"))

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "kind_label",
            "note",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "replaces",
            "removed_at",
            "url",
            "download_url",
        ]
        read_only_fields = fields

    def _url(self, attachment, name: str) -> str | None:
        view = self.context.get("view")
        request = self.context.get("request")
        if view is None or request is None or not hasattr(view, "reverse_action"):
            return None
        return view.reverse_action(
            name, kwargs={"pk": attachment.object_id, "attachment_id": attachment.pk}
        )

    def get_url(self, attachment) -> str | None:
        return self._url(attachment, "attachment")

    def get_download_url(self, attachment) -> str | None:
        return self._url(attachment, "attachment-download")


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=gettext_lazy("文件"), allow_empty_file=True)
    kind = serializers.ChoiceField(
        choices=AttachmentKind.choices, default=AttachmentKind.OTHER, label=gettext_lazy("材料类型")
    )
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=gettext_lazy("说明")
    )


class AttachmentChangeSerializer(serializers.Serializer):
    """A replacement (``file``) and/or new kind and note; what is left out stays."""

    file = serializers.FileField(label=gettext_lazy("新版本文件"), required=False)
    kind = serializers.ChoiceField(
        choices=AttachmentKind.choices, required=False, label=gettext_lazy("材料类型")
    )
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, label=gettext_lazy("说明")
    )


class AttachmentsMixin:
    """The files of each record of a viewset, as actions on the record (of a
    ``ScopedViewSet``, whose ``run_service`` and ``request_data`` it uses)."""

    def _record(self):
        """The record in the URL, as the user may see it (404 otherwise); the list's
        filters in the query string do not apply here."""
        record = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def _attachment(self, record, attachment_id) -> Attachment:
        try:
            return service.get_for_user(self.request.user, attachment_id, record=record)
        except Attachment.DoesNotExist:
            raise Http404(_("附件不存在。")) from None

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("记录的附件列表（现行版本）"),
        responses=AttachmentSerializer(many=True),
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("上传附件（multipart：file、kind、note）"),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="attachments",
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def attachments(self, request, pk=None):
        record = self._record()
        if request.method == "GET":
            rows = service.current_of(record, request.user)
            return Response(AttachmentSerializer(rows, many=True, context=self._context()).data)
        upload = self.request_data(AttachmentUploadSerializer)
        attachment = self.run_service(
            service.attach,
            record,
            upload["file"],
            kind=upload["kind"],
            note=upload["note"],
            by=request.user,
        )
        return Response(
            AttachmentSerializer(attachment, context=self._context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("附件信息（含历史版本可查的替换关系）"),
        responses=AttachmentSerializer,
    )
    @extend_schema(
        methods=["PATCH"],
        summary=gettext_lazy("修改附件说明，或上传新版本替换（旧版本保留）"),
        request={"multipart/form-data": AttachmentChangeSerializer},
        responses=AttachmentSerializer,
    )
    @extend_schema(
        methods=["DELETE"], summary=gettext_lazy("删除附件（留有记录）"), responses={204: None}
    )
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def attachment(self, request, pk=None, attachment_id=None):
        record = self._record()
        attachment = self._attachment(record, attachment_id)
        if request.method == "GET":
            return Response(AttachmentSerializer(attachment, context=self._context()).data)
        if request.method == "DELETE":
            self.run_service(service.remove, attachment, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        values = self.request_data(AttachmentChangeSerializer)
        kind = values.get("kind", attachment.kind)
        note = values.get("note", attachment.note)
        if "file" in values:
            attachment = self.run_service(
                service.attach,
                record,
                values["file"],
                kind=kind,
                note=note,
                by=request.user,
                replaces=attachment,
            )
        else:
            attachment = self.run_service(
                service.update_details, attachment, kind=kind, note=note, by=request.user
            )
        return Response(AttachmentSerializer(attachment, context=self._context()).data)

    @extend_schema(
        summary=gettext_lazy("下载附件"),
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)/download",
    )
    def attachment_download(self, request, pk=None, attachment_id=None):
        record = self._record()
        return service.file_response(self._attachment(record, attachment_id))

    def _context(self) -> dict:
        return {"request": self.request, "view": self}
