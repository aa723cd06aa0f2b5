"""Where a record or a register is worked on in the admin: the one spelling of the admin's
address names (``admin:<app>_<model>_<view>``) for pages, boards and lists outside it."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def admin_url(obj_or_model, view: str = "change", pk=None) -> str | None:
    """The admin's ``view`` page ("change", "changelist", "add") of a record, or of a model
    for the views that need no record; None when the admin has no such page (a model it
    does not show)."""
    opts = obj_or_model._meta
    args = [pk if pk is not None else obj_or_model.pk] if view == "change" else []
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None
