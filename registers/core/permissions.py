"""Who may see and change which records: the one rule, used by admin, pages and API.

- office staff (and superusers) see and change everything and review submissions;
- leaders and API clients read everything and change nothing;
- a liaison sees only their unit's records and changes them only while they are drafts
  or returned; reference data without an owning unit (units, the calendar) is readable
  by every role and changed by the office only.

A record may freeze itself (``is_frozen``: an approved power-list item, a confirmed clean-up):
then nobody changes or deletes it directly; its own service (an adjustment) changes it.

The three administrators (三员分立) work on the system, never on its records: ``role_of`` is
None for them, so every record path refuses them as it refuses a stranger; what they may do
is asked of ``manages_accounts``, ``manages_security`` and ``reads_audit_log``. A superuser
holds every duty (the deployment check warns about such an account).

A model takes part in unit scoping by naming the path to its owning unit in
``scope_field`` (``"unit"`` for every ``WorkflowRecord``, ``"draw__item__unit"`` for a
child row), or declares itself reference data (``reference_data = True``: units, the
calendar), which every role reads. A row that belongs to one record of any kind (an
attachment) names its generic relation in ``scope_record``: it is seen exactly when its
record is, and changed (added, replaced, deleted) exactly when its record may change. A
model that does none of these is shown only to those who
read every unit, and the admin and the API refuse to serve it (``require_scoping``), so a
new model cannot leak by being forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from registers.core.roles import Role
from registers.core.status import Action, Status


def role_of(user) -> Role | None:
    """The role under which ``user`` works with records, or None for anonymous and inactive
    users and for the administrators, who work on the system and see no record."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.OFFICE
    try:
        role = Role(user.role)
    except ValueError:
        return None
    return None if role.administers else role


def is_office(user) -> bool:
    return role_of(user) == Role.OFFICE


# --- Gates: what a user may use, whatever the record ----------------------------------------


def uses_pages(user) -> bool:
    """People use the pages and the admin; API clients only the API, with a token."""
    role = role_of(user)
    return role is not None and role.uses_admin


def may_submit(user) -> bool:
    """Office staff and liaisons enter, upload and submit data; leaders and API clients read."""
    return role_of(user) in (Role.OFFICE, Role.LIAISON)


def reads_every_unit(user) -> bool:
    role = role_of(user)
    return role is not None and role.reads_everything


def reads_own_unit_only(user) -> bool:
    """A liaison: sees and changes one unit's records, and nothing that belongs to no unit
    but reference data."""
    return role_of(user) == Role.LIAISON


def may_read_unit(user, unit_id: int | None) -> bool:
    """Whether ``user`` may read what belongs to one unit (its report, its figures).

    ``None`` stands for the whole district, which only those who read every unit may read.
    """
    if reads_every_unit(user):
        return True
    return role_of(user) is not None and unit_id is not None and unit_id == user.unit_id


def pages_required(view: Callable) -> Callable:
    """A function view for people: anonymous visitors go to the login page, the
    administrators (who see no records) to the admin, where their work is; an API client is
    refused (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not uses_pages(request.user):
            if duties_of(request.user):
                return redirect("admin:index")
            if not request.user.role:
                raise PermissionDenied(_("您的账号还没有分配角色，请联系安全管理员。"))
            raise PermissionDenied(_("该账号不能使用网页。"))
        return view(request, *args, **kwargs)

    return wrapper


def office_required(refusal: str) -> Callable[[Callable], Callable]:
    """A function view for office staff only; others who use the pages see ``refusal``
    (a lazily translated message saying what only the office may do)."""

    def decorator(view: Callable) -> Callable:
        @pages_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_office(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def scope_field_of(model) -> str | None:
    return getattr(model, "scope_field", None)


def scope_record_of(model) -> str | None:
    """The generic relation to the record a row belongs to (``scope_record``), if any."""
    return getattr(model, "scope_record", None)


def is_reference_data(model) -> bool:
    return (
        scope_field_of(model) is None
        and scope_record_of(model) is None
        and getattr(model, "reference_data", False) is True
    )


def require_scoping(model, where: str) -> None:
    """Refuse to serve ``model`` (in the admin, the API: ``where``) unless it says whose it
    is (``scope_field``, ``scope_record``) or that every role reads it (``reference_data``)."""
    if scope_field_of(model) is None and scope_record_of(model) is None:
        if not is_reference_data(model):
            raise ImproperlyConfigured(
                f"{where}: {model._meta.label} declares neither scope_field nor reference_data"
            )


def record_of(obj):
    """What decides about ``obj``: the record it belongs to (``scope_record``), or itself.
    None for a row whose record no longer exists."""
    name = scope_record_of(type(obj))
    return getattr(obj, name) if name else obj


@cache
def _record_models(model) -> tuple:
    """The models whose records carry rows of ``model`` (a ``GenericRelation`` to it)."""
    from django.contrib.contenttypes.fields import GenericRelation

    return tuple(
        candidate
        for candidate in apps.get_models()
        if any(
            isinstance(field, GenericRelation) and field.related_model is model
            for field in candidate._meta.private_fields
        )
    )


def _records_condition(model, user) -> models.Q:
    """Rows of ``model`` whose record ``user`` may see: one subquery per kind of record."""
    from django.contrib.contenttypes.models import ContentType

    relation = model._meta.get_field(scope_record_of(model))
    condition = models.Q(pk__in=[])
    for record_model in _record_models(model):
        visible = scope_queryset(record_model._default_manager.all(), user)
        condition |= models.Q(
            **{
                relation.ct_field: ContentType.objects.get_for_model(record_model),
                f"{relation.fk_field}__in": visible.values("pk"),
            }
        )
    return condition


def owner_unit_id(obj) -> int | None:
    """The id of the unit that owns ``obj``, following its ``scope_field`` path (or its
    record's, for a row that belongs to a record)."""
    if scope_record_of(type(obj)):
        record = record_of(obj)
        return None if record is None else owner_unit_id(record)
    path = scope_field_of(type(obj))
    if path is None:
        return None
    *parents, last = path.split("__")
    target = obj
    for name in parents:
        target = getattr(target, name, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def scope_queryset(queryset: models.QuerySet, user) -> models.QuerySet:
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role.reads_everything or is_reference_data(queryset.model):
        return queryset
    if scope_record_of(queryset.model):
        return queryset.filter(_records_condition(queryset.model, user))
    path = scope_field_of(queryset.model)
    if path is None or user.unit_id is None:
        return queryset.none()
    return queryset.filter(**{path: user.unit_id})


def scope_key(user) -> tuple:
    """Equal for two users who see the same records (``scope_queryset``): what a result
    computed from the records a user sees may be kept under."""
    role = role_of(user)
    if role is None:
        return (None,)
    if role.reads_everything:
        return ("every unit",)
    return (role.value, user.unit_id)


def can_view(user, obj) -> bool:
    if role_of(user) is None:
        return False
    if scope_record_of(type(obj)):
        record = record_of(obj)
        return record is not None and can_view(user, record)
    if is_reference_data(type(obj)):
        return True
    if scope_field_of(type(obj)) is None:
        return reads_every_unit(user)
    return may_read_unit(user, owner_unit_id(obj))


def can_create(user, model) -> bool:
    role = role_of(user)
    if role == Role.OFFICE:
        return True
    return role == Role.LIAISON and (
        scope_field_of(model) is not None or scope_record_of(model) is not None
    )


def _liaison_owns(user, obj) -> bool:
    return user.unit_id is not None and owner_unit_id(obj) == user.unit_id


def _status_of(obj) -> Status | None:
    status = getattr(obj, "status", None)
    return Status(status) if status else None


def is_frozen(obj) -> bool:
    return bool(getattr(obj, "is_frozen", False))


def can_change(user, obj) -> bool:
    if scope_record_of(type(obj)):
        record = record_of(obj)
        return record is not None and can_change(user, record)
    role = role_of(user)
    if is_frozen(obj):
        return False
    if role == Role.OFFICE:
        return True
    if role != Role.LIAISON or not _liaison_owns(user, obj):
        return False
    status = _status_of(obj)
    return status is None or status.editable_by_liaison


def can_delete(user, obj) -> bool:
    """Office staff may delete (history keeps a row); liaisons only their unit's drafts.
    Deleting a row that belongs to a record (a file) changes that record."""
    if scope_record_of(type(obj)):
        return can_change(user, obj)
    role = role_of(user)
    if is_frozen(obj):
        return False
    if role == Role.OFFICE:
        return True
    return role == Role.LIAISON and _liaison_owns(user, obj) and _status_of(obj) == Status.DRAFT


def can_act(user, obj, action: Action) -> bool:
    """Whether ``user`` may apply the workflow ``action`` to ``obj`` in its current status."""
    status = _status_of(obj)
    if status is None or status not in action.from_statuses:
        return False
    if action == Action.SUBMIT:
        return is_office(user) or (may_submit(user) and _liaison_owns(user, obj))
    if action == Action.REOPEN and is_frozen(obj):
        return False  # in force: its own service (an adjustment) corrects it
    return is_office(user)


def allowed_actions(user, obj) -> list[Action]:
    """The review steps a page offers ``user`` on ``obj``."""
    return [action for action in Action if action.is_review_step and can_act(user, obj, action)]


# --- Administrators (三员分立) -----------------------------------------------------------

ADMINISTRATOR_ROLES = frozenset(role for role in Role if role.administers)


def duties_of(user) -> frozenset[Role]:
    """The administrator duties ``user`` holds: a superuser holds all three."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ADMINISTRATOR_ROLES
    return frozenset({Role(user.role)}) if user.role in ADMINISTRATOR_ROLES else frozenset()


def manages_accounts(user) -> bool:
    """The system administrator: user accounts, units and the working-day calendar."""
    return Role.SYSTEM_ADMIN in duties_of(user)


def manages_security(user) -> bool:
    """The security administrator: roles, locks, API tokens and two-factor login."""
    return Role.SECURITY_ADMIN in duties_of(user)


def reads_audit_log(user) -> bool:
    """The auditor: reads and exports the security audit log, and nothing else."""
    return Role.AUDITOR in duties_of(user)


def may_see_personal_data(user, token=None) -> bool:
    """Whether names and contact details of private persons are shown to ``user``.

    People see them as the admin shows them; a system (an API client) sees them only
    through a token the office granted personal data (个人信息保护法: the minimum needed).
    """
    role = role_of(user)
    if role is None:
        return False
    if role == Role.API_CLIENT:
        return bool(getattr(token, "grants_personal_data", False))
    return True


# --- The person in charge (承办人) of a record ------------------------------------------------
#
# A record's handler works on it, so must be someone who may change it: office staff (the
# office is the reviewing organ of reconsideration and follows every unit's deadlines), or a
# liaison of the record's own unit. Leaders and API clients change nothing; a liaison of
# another unit cannot even see the record.


def may_handle(user, unit_id: int | None) -> bool:
    """Whether ``user`` may be the person in charge of a record of the unit ``unit_id``."""
    return may_submit(user) and may_read_unit(user, unit_id)


def handler_candidates(users: models.QuerySet, viewer, unit_id: int | None = None):
    """The users ``viewer`` may choose as the person in charge of a record of ``unit_id``
    (of any unit while it is not chosen yet): ``may_handle`` as a query. A liaison is
    offered the people of their own unit only, never another unit's."""
    if not may_submit(viewer):
        return users.none()
    users = users.filter(is_active=True)
    office = models.Q(is_superuser=True) | models.Q(role=Role.OFFICE)
    if reads_own_unit_only(viewer):
        return users.filter(office | models.Q(role=Role.LIAISON), unit_id=viewer.unit_id)
    liaisons = models.Q(role=Role.LIAISON)
    if unit_id is not None:
        liaisons &= models.Q(unit_id=unit_id)
    return users.filter(office | liaisons)
