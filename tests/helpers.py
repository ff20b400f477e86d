"""Helpers shared by test modules: users in the editorial groups, their clients,
and the POST body of an admin change page as the browser would send it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def member_of(group: str, username: str | None = None):
    """A staff user in one of the groups migration 0007_roles creates."""
    user = get_user_model().objects.create_user(
        username=username or group.lower(), password="factdb-test", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


def rendered_form_data(client, url: str) -> dict:
    """The POST body of an admin change page (or a history version page) as
    rendered: the form, with its hidden record version, and every inline."""
    page = client.get(url)
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    for inline in page.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is not None and value is not False:
                data[field.html_name] = value
    return data
