"""The admin greets a user by their full name and wears the workspace's colours, from a
stylesheet of this site."""

from django.contrib.staticfiles import finders

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
