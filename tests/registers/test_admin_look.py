"""The admin greets a user by their full name and wears the workspace's colours, from a
stylesheet of this site."""

import re

from django.apps import apps
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse

from registers.core.roles import Role
from tests.factories import make_user


def test_admin_greets_by_full_name_and_loads_the_local_theme(client, db):
    user = make_user(Role.OFFICE, last_name="王", first_name="法制")
    client.force_login(user)
    page = client.get("/admin/").content.decode()
    assert "欢迎，<strong>王法制</strong>" in page
    assert "<strong>法制</strong>" not in page
    assert "/static/css/admin-theme.css" in page
    theme = open(finders.find("css/admin-theme.css"), encoding="utf-8").read()
    assert "--header-bg: #8c1c13" in theme
    assert "http" not in theme  # nothing from elsewhere


def test_admin_has_no_sidebar_taking_the_lists_width(client, db):
    client.force_login(make_user(Role.OFFICE))
    page = client.get("/admin/reviews/reconsiderationcase/").content.decode()
    assert 'id="nav-sidebar"' not in page


def _in_page_order(page: str, names: list[str], end: str = "</a></th>") -> list[str]:
    """``names`` in the order the page shows them as links (the admin index's rows, or with
    ``end``, another page's)."""
    page = re.sub(r">\s+", ">", re.sub(r"\s+<", "<", page))
    return sorted(names, key=lambda name: page.index(f">{name}{end}"))


def test_admin_index_lists_registers_as_the_report_takes_them_up(client, db):
    """Not in the code-point order of the names (单位, 双随机…, 回避申报, 多证合一…)."""
    client.force_login(make_user(Role.OFFICE))
    page = client.get("/admin/").content.decode()
    names = [
        "单位",
        "权责清单事项",
        "清单调整记录",
        "随机抽查事项清单",
        "双随机抽取及结果",
        "节假日调整",
    ]
    assert _in_page_order(page, names) == names
    apps = ["台账", "审查与案件", "年度报告"]  # as installed, not 审 before 台
    reports = ["年度报告", "已发布报告", "单位报告模板"]
    assert _in_page_order(page, reports) == reports
    assert _in_page_order(page, apps, end="</a></caption>") == apps
    cases = [
        "合法性审核",
        "文件清理活动",
        "重大行政决策",
        "案卷评查活动",
        "行政复议案件",
        "行政应诉案件",
    ]
    assert _in_page_order(page, cases) == cases


def test_workspace_register_index_keeps_the_admin_order(client, db):
    client.force_login(make_user(Role.OFFICE))
    admin_page = client.get("/admin/").content.decode()
    page = client.get(reverse("workspace:registers")).content.decode()
    names = [str(model._meta.verbose_name_plural) for model in admin.site._registry]
    names = [name for name in names if f">{name}</a></h3>" in page]
    assert len(names) > 10
    assert _in_page_order(page, names, end="</a></h3>") == _in_page_order(admin_page, names)


def test_every_register_has_its_place_in_its_app_order():
    """A register added later and not placed would fall to the end of its app's list."""
    for model in admin.site._registry:
        config = apps.get_app_config(model._meta.app_label)
        if hasattr(config, "index_order"):
            assert model._meta.model_name in config.index_order, model
    for label in ("registers", "reviews", "reports", "accounts"):
        config = apps.get_app_config(label)
        assert len(set(config.index_order)) == len(config.index_order)
        for name in config.index_order:
            assert admin.site.is_registered(config.get_model(name))


def test_the_data_exchange_lists_registers_in_the_same_order(client, db):
    from registers.core.exchange import uploads
    from registers.core.register_order import index_position

    client.force_login(make_user(Role.OFFICE))
    page = client.get(reverse("registers:exchange")).content.decode()
    select = page[page.index('name="register"') : page.index("</select>")]
    offered = re.findall(r'<option value="([^"]+)"', select)
    models = [uploads.resource_for(slug)._meta.model for slug in offered]
    assert len(models) > 10
    assert models == sorted(models, key=index_position)
    assert offered.index("power-items") < offered.index("integrated-items")
    assert offered.index("integrated-items") < offered.index("inspection-items")
