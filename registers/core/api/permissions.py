"""The one scoping rule and the review workflow, as a DRF permission."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import permissions

from registers.core import permissions as rules
from registers.core.api.attachments import ATTACHMENT_ACTIONS


class ScopedPermission(permissions.BasePermission):
    """The admin's rule, for the API: reads follow scoping, writes follow the workflow.

    Child rows (a case's hearings…) change exactly when their parent may change, as in the
    admin's inlines; a viewset names the parent in ``parent_field``.
    """

    message = gettext_lazy("没有权限执行此操作。")
    code = "permission_denied"

    def _refuse(self, message, code: str) -> bool:
        self.message, self.code = message, code
        return False

    def has_permission(self, request, view) -> bool:
        if rules.role_of(request.user) is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not rules.may_submit(request.user):
            return self._refuse(_("只读账号不能修改数据。"), "read_only_role")
        if getattr(view, "action", None) in view.office_actions:
            if not rules.is_office(request.user):
                return self._refuse(_("只有法制办工作人员可以执行此操作。"), "office_only")
            return True
        if getattr(view, "action", None) == "submit":
            return True
        if request.method == "POST" and not rules.can_create(request.user, view.model):
            return self._refuse(_("只有法制办工作人员可以新增此类记录。"), "office_only")
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return rules.can_view(request.user, obj)
        if view.action == "submit" or view.action in view.office_actions:
            return True  # the transition or service checks the record's state and explains
        if view.action in ATTACHMENT_ACTIONS:
            # Adding, replacing or deleting a file changes the record it belongs to.
            if not rules.can_change(request.user, obj):
                return self._refuse(
                    _(
                        "这条记录当前不能修改，不能增加、替换或删除它的附件"
                        "（只能修改本单位草稿或被退回的记录）。"
                    ),
                    "not_editable",
                )
            return True
        target = view.parent_of(obj)
        if request.method == "DELETE" and target is obj:
            if view.delete_office_only and not rules.is_office(request.user):
                return self._refuse(_("只有法制办工作人员可以删除此类记录。"), "office_only")
            if not rules.can_delete(request.user, obj):
                return self._refuse(_("这条记录不能删除。"), "not_deletable")
            return True
        if not rules.can_change(request.user, target):
            return self._refuse(
                _("这条记录当前不能修改（只能修改本单位草稿或被退回的记录）。"), "not_editable"
            )
        return True


class WorksWithRecords(permissions.BasePermission):
    """Any role that works with records: not the administrators (三员), who see none."""

    message = gettext_lazy("该账号不查看台账数据。")
    code = "no_records_for_role"

    def has_permission(self, request, view) -> bool:
        return rules.role_of(request.user) is not None


class UnscopedPermission(permissions.BasePermission):
    """Base of the permission of a resource that belongs to no unit and is not reference
    data (tokens): closed to liaisons whatever a subclass allows. ``require_scoped_viewsets``
    serves a viewset that is not a ``ScopedViewSet`` only with such a permission."""

    def has_permission(self, request, view) -> bool:
        return not rules.reads_own_unit_only(request.user)
