"""API tokens: created and revoked by the office, in the admin and through the API."""

from rest_framework.authtoken.models import Token

from registers.core.roles import Role
from tests.api.conftest import client_for
from tests.factories import make_user


def test_a_new_token_replaces_the_old_one_and_a_revoked_token_stops_working(office):
    system = make_user(Role.API_CLIENT, username="city_system")
    admin = client_for(office)
    first = admin.post("/api/v1/tokens/", {"user": system.pk}, format="json").json()["key"]
    second = admin.post("/api/v1/tokens/", {"user": system.pk}, format="json").json()["key"]
    assert first != second

    def status_with(key):
        client = client_for(None)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client.get("/api/v1/units/").status_code

    assert (status_with(first), status_with(second)) == (401, 200)
    listed = admin.get("/api/v1/tokens/").json()["results"]
    assert [row["username"] for row in listed] == ["city_system"]
    assert "key" not in listed[0]  # a key is shown once, when created
    assert admin.delete(f"/api/v1/tokens/{system.pk}/").status_code == 204
    assert status_with(second) == 401


def test_the_token_admin_is_the_offices_only(client, office, leader, liaison):
    system = make_user(Role.API_CLIENT, username="city_system")
    token = Token.objects.create(user=system)
    for user, expected in ((office, 200), (leader, 403), (liaison, 403)):
        client.force_login(user)
        page = client.get("/admin/authtoken/tokenproxy/")
        assert page.status_code == expected, user
        if expected == 200:
            assert token.key in page.content.decode()
    client.force_login(office)
    added = client.post("/admin/authtoken/tokenproxy/add/", {"user": liaison.pk})
    assert added.status_code == 302 and Token.objects.filter(user=liaison).exists()
    deleted = client.post(f"/admin/authtoken/tokenproxy/{system.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302 and not Token.objects.filter(user=system).exists()
