"""The order registers are listed in, wherever a person picks one: the admin's index, the
workspace's register indexes, the data-exchange page's lists, the review queue's kinds.

Each app declares its registers' order on its config (``index_order``: model names, as the
annual report takes the registers up); the apps stand as installed. Not the code-point order
of the Chinese names, which reads as no order at all (单位, 双随机…, 回避申报, 多证合一…).
"""

from __future__ import annotations

from django.apps import apps


def index_position(model) -> tuple[int, int, str]:
    """Where ``model`` stands among the registers: its app's place among the installed apps,
    then its place in the app's ``index_order``; a model the app does not name comes last in
    its app, by name."""
    config = apps.get_app_config(model._meta.app_label)
    order = getattr(config, "index_order", [])
    name = model._meta.model_name
    return (
        list(apps.get_app_configs()).index(config),
        order.index(name) if name in order else len(order),
        str(model._meta.verbose_name_plural),
    )
