"""Signed links in registration e-mails: the ticket and the one-click cancel.

Whoever holds the e-mail may see the ticket and cancel the registration without logging in
(a visitor registered for a public event has no account). The link names the registration
and is signed (``SECRET_KEY``, its own salt) and expires ``EVENT_EMAIL_LINK_DAYS`` after it
was written. Opening the cancel link shows what will happen and asks for a click (a POST): a
mail scanner that follows links cancels nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Registration

if TYPE_CHECKING:
    from accounts.models import User

LINK_SALT = "events.registration.email-link"


def registration_link_token(*, registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=LINK_SALT, compress=True)


def _validity() -> timedelta:
    return timedelta(days=settings.EVENT_EMAIL_LINK_DAYS)


def registration_from_link(*, token: str) -> Registration:
    """The registration a ticket or cancel link names. Raises RegistrationError (shown to the
    user) for an altered or expired link."""
    from .services import RegistrationError

    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=_validity())
    except signing.SignatureExpired:
        raise RegistrationError(
            _("링크의 유효 기간이 지났습니다. 로그인해 내 신청 내역에서 확인해 주세요."), "link_expired"
        ) from None
    except signing.BadSignature:
        pk = None
    registration = (
        Registration.objects.select_related("event", "company").filter(pk=pk).first() if isinstance(pk, int) else None
    )
    if registration is None:
        raise RegistrationError(_("올바른 링크가 아닙니다. 이메일의 링크를 그대로 열어 주세요."), "link_invalid")
    return registration


def registration_cancel_by_link(*, token: str, by: User | None) -> Registration:
    """Cancel the registration the link names (the confirmation page's POST). Raises
    RegistrationError for a bad or expired link, or an event that has started."""
    from .services import registration_cancel

    return registration_cancel(registration=registration_from_link(token=token), by=by, via_link=True)


def ticket_link_url(*, registration: Registration, token: str | None = None) -> str:
    token = token or registration_link_token(registration=registration)
    return settings.SITE_URL + reverse("events:ticket_link", kwargs={"token": token})


def cancel_link_url(*, registration: Registration, token: str | None = None) -> str:
    token = token or registration_link_token(registration=registration)
    return settings.SITE_URL + reverse("events:cancel_link", kwargs={"token": token})
