"""accounts/backends.py: the signed-in user and their approved membership come in one query,
read afresh on every request, so that a logout, a new password, a deactivation or a change of
membership takes effect on the very next request."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.backends import ModelBackend, signed_in_user
from accounts.models import Membership, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _account_menu(client: Client) -> str:
    response = client.get(reverse("events:my"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_user_and_the_membership_come_in_one_query(representative, company, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(representative.pk)
        assert user is not None
        assert user.company == company
        assert user.is_representative
        assert user.company.name == company.name


def test_a_user_without_membership_needs_no_second_query(django_assert_num_queries):
    plain = UserFactory()
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(plain.pk)
        assert user is not None
        assert user.membership is None
        assert user.company is None
        assert not user.is_representative


def test_a_pending_membership_is_not_loaded(company):
    pending = Membership.objects.create(
        user=UserFactory(), company=company, role=Membership.Role.STAFF, status=Membership.Status.PENDING
    )
    user = ModelBackend().get_user(pending.user_id)
    assert user is not None
    assert user.membership is None


def test_an_inactive_or_missing_user_is_not_loaded():
    inactive = UserFactory(is_active=False)
    assert ModelBackend().get_user(inactive.pk) is None
    assert ModelBackend().get_user(inactive.pk + 1000) is None


def test_a_login_names_this_backend(client):
    user = UserFactory()
    user.set_password("correct horse battery")
    user.save()
    client.post(reverse("accounts:login"), {"username": user.email, "password": "correct horse battery"})
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"
    assert client.get(reverse("events:my")).status_code == 200


def test_a_session_made_before_this_backend_still_loads(member):
    client = Client()
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("events:my")).status_code == 200


def test_a_new_password_signs_the_other_sessions_out_at_once(member):
    client = _signed_in(member)
    assert client.get(reverse("events:my")).status_code == 200
    member.set_password("a brand new password")
    member.save()
    response = client.get(reverse("events:my"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_deactivated_user_is_signed_out_at_once(member):
    client = _signed_in(member)
    assert client.get(reverse("events:my")).status_code == 200
    User.objects.filter(pk=member.pk).update(is_active=False)  # no signal, no save()
    assert client.get(reverse("events:my")).status_code == 302


def test_after_logout_the_page_asks_to_sign_in(member):
    client = _signed_in(member)
    assert client.get(reverse("events:my")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("events:my")).status_code == 302


def test_a_removed_membership_shows_at_once(member, company):
    client = _signed_in(member)
    assert company.name in _account_menu(client)
    Membership.objects.filter(user=member).delete()
    assert company.name not in _account_menu(client)


def test_each_user_sees_their_own_company(member, other_member, company):
    mine, theirs = _signed_in(member), _signed_in(other_member)
    other_company = other_member.company
    assert company.name in _account_menu(mine) and other_company.name not in _account_menu(mine)
    assert other_company.name in _account_menu(theirs) and company.name not in _account_menu(theirs)


def test_a_token_reads_the_user_and_the_membership_in_one_query(representative, company, django_assert_num_queries):
    from accounts.backends import TokenAuthentication

    token = Token.objects.create(user=representative)
    with django_assert_num_queries(1):
        user, found = TokenAuthentication().authenticate_credentials(token.key)
        assert found == token
        assert user.is_representative and user.company == company


def test_a_token_of_an_inactive_user_or_a_wrong_token_is_refused(member):
    token = Token.objects.create(user=member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/registrations/").status_code == 200
    User.objects.filter(pk=member.pk).update(is_active=False)
    # Refused by DRF's own code (403: the session authentication comes first and names no
    # WWW-Authenticate scheme), with DRF's message.
    refused = api.get("/api/v1/registrations/")
    assert refused.status_code == 403 and "results" not in refused.json()
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    wrong = api.get("/api/v1/registrations/")
    assert wrong.status_code == 403 and "results" not in wrong.json()
    assert refused.json()["detail"] != wrong.json()["detail"]  # "inactive" and "invalid token"


def test_a_wrong_password_is_hashed_once(client):
    """Django's ModelBackend stays listed for old sessions; it must not check the password again."""
    user = UserFactory(email="once@example.kr")
    with mock.patch.object(User, "check_password", autospec=True, return_value=False) as check:
        assert (
            authenticate(RequestFactory().post("/accounts/login/"), username="once@example.kr", password="wrong")
            is None
        )
    assert check.call_count == 1
    user.set_password("right-password-123")
    user.save()
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="once@example.kr", password="right-password-123") == user


def _field_values(instance) -> dict[str, object]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_hand_written_query_gives_what_the_orm_gives(representative, company):
    """The user, membership and company from the one query (``signed_in_user``) hold exactly
    the values the ORM reads, field by field (dates, choices, nullable and JSON columns), and
    are saved rows, as the ORM's would be."""
    from companies.models import Company

    company.keywords = "로봇, 액추에이터"
    company.save()
    representative.last_login = None
    representative.save()
    token = Token.objects.create(user=representative)
    for user in (ModelBackend().get_user(str(representative.pk)), signed_in_user(lead=Token, value=token.key).user):
        assert _field_values(user) == _field_values(User.objects.get(pk=representative.pk))
        membership = Membership.objects.get(user=representative, status=Membership.Status.APPROVED)
        assert _field_values(user.membership) == _field_values(membership)
        assert _field_values(user.company) == _field_values(Company.objects.get(pk=company.pk))
        for row in (user, user.membership, user.company):
            assert not row._state.adding and row._state.db == "default" and not row.get_deferred_fields()
    found = signed_in_user(lead=Token, value=token.key)
    assert _field_values(found) == _field_values(Token.objects.get(key=token.key))


def test_a_malformed_session_user_id_is_no_user():
    assert ModelBackend().get_user("not-a-number") is None
    assert signed_in_user(lead=Token, value="no-such-token") is None
