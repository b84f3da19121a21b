"""Writes for accounts and company membership. Views, the admin and commands all call these."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import timedelta
from typing import NamedTuple

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record
from companies.models import Company
from magok.errors import DomainError
from notifications.services import email_queue

from .consent import ConsentText
from .models import Membership, SignupRequest, User

logger = logging.getLogger(__name__)

# How long the link in a sign-up confirmation e-mail works.
SIGNUP_LINK_VALID = timedelta(days=3)


class MembershipError(DomainError):
    """A membership change that the rules do not allow; the message is for the user."""


class EmailTakenError(DomainError):
    """Another account already uses this e-mail address (compared case-insensitively)."""

    def __init__(self) -> None:
        super().__init__(_("이미 가입된 이메일입니다. 로그인하거나 비밀번호를 재설정해 주세요."), "email_taken")


class SignupLinkError(DomainError):
    """The sign-up confirmation link is unknown, used or expired; the message is for the user."""

    def __init__(self) -> None:
        message = _("가입 확인 링크가 올바르지 않거나 만료되었습니다. 다시 가입해 주세요.")
        super().__init__(message, "signup_link_invalid")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def signup_request(
    *,
    email: str,
    name: str,
    password: str,
    consent: ConsentText,
    phone: str = "",
    position: str = "",
    language: str = User.Language.KO,
    next_url: str = "",
) -> None:
    """Start a sign-up: e-mail a confirmation link to ``email``; the account is made when it
    is opened (``signup_confirm``). The caller has shown ``consent`` and the person agreed,
    and has checked that ``next_url`` (where the new account lands) is a path on this site.

    The page answers the same whatever the address, so that it does not tell who has an
    account: when the address already has one, its owner gets an e-mail saying so (with the
    ways to log in or reset the password) instead of a link. Both ways hash the password and
    queue one e-mail, so they also take about the same time.
    """
    email = email.strip().lower()
    password_hash = make_password(password)
    # Sign-ups never confirmed go here, whoever asks (the same work on both ways).
    SignupRequest.objects.filter(created_at__lt=timezone.now() - SIGNUP_LINK_VALID).delete()
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        email_queue(
            to=owner.email, template="accounts/emails/signup_existing", context={"user": owner}, language=owner.language
        )
        return
    token = secrets.token_urlsafe(32)
    SignupRequest.objects.create(
        token_hash=_token_hash(token),
        email=email,
        name=name.strip(),
        phone=phone.strip(),
        position=position.strip(),
        language=language,
        password=password_hash,
        privacy_consent_version=consent.version,
        next_url=next_url[:300],
    )
    email_queue(
        to=email,
        template="accounts/emails/signup_confirm",
        context={"name": name.strip(), "token": token, "valid_days": SIGNUP_LINK_VALID.days},
        language=language,
    )


class ConfirmedSignup(NamedTuple):
    user: User
    next_url: str  # as stored with the sign-up: the caller checks it again before redirecting


def signup_confirm(*, token: str) -> ConfirmedSignup:
    """Make the account that the sign-up behind ``token`` asked for; the link then stops working.

    Raises ``SignupLinkError`` for an unknown, used or expired link and ``EmailTakenError`` when
    the address got an account meanwhile (another confirmed sign-up, or SBA staff).
    """
    with transaction.atomic():
        # Locked: two clicks on the same link at once make one account.
        pending = SignupRequest.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
        if pending is None or pending.created_at < timezone.now() - SIGNUP_LINK_VALID:
            raise SignupLinkError()
        # Every sign-up made with this address ends here: one of them is now the account.
        SignupRequest.objects.filter(email=pending.email).delete()
        if User.objects.filter(email__iexact=pending.email).exists():
            raise EmailTakenError()
        try:
            with transaction.atomic():
                user = User(
                    email=pending.email,
                    password=pending.password,
                    name=pending.name,
                    phone=pending.phone,
                    position=pending.position,
                    language=pending.language,
                    privacy_consent_version=pending.privacy_consent_version,
                    privacy_consented_at=pending.created_at,
                )
                user.save()
        except IntegrityError:
            # Confirmed at the same moment as another account for this address: the unique index decides.
            raise EmailTakenError() from None
    return ConfirmedSignup(user=user, next_url=pending.next_url)


def password_reset_request(*, email: str) -> None:
    """Send a password reset link to the account of ``email``, if there is one.

    The request itself does the same whatever the address: after commit it hands the address
    to a worker (``password_reset_send``), with no query and no rendering here, so neither its
    time nor its answer tells whether the address has an account. When the broker is down the
    work is done here instead: the e-mail still goes out, and only then does the time differ.
    """
    request_id = uuid.uuid4().hex
    transaction.on_commit(lambda: _password_reset_prompt(email=email, request_id=request_id))


def _password_reset_prompt(*, email: str, request_id: str) -> None:
    from .tasks import send_password_reset

    try:
        send_password_reset.delay(email, request_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure: do the work now rather than lose it
        logger.warning("could not enqueue a password reset (%s); queuing its e-mail in the request", exc)
        password_reset_send(email=email, request_id=request_id)


def password_reset_send(*, email: str, request_id: str) -> int:
    """Queue a reset e-mail, in the user's language, for each active account with ``email``
    (Django's rules: case-insensitive, usable password). Returns how many were queued; running
    it again for the same ``request_id`` queues nothing more."""
    queued = 0
    for user in PasswordResetForm().get_users(email):
        row = email_queue(
            to=user.email,
            template="accounts/emails/password_reset",
            context={
                "user": user,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
            language=user.language,
            dedupe_key=f"password-reset-{request_id}-{user.pk}",
        )
        queued += row is not None
    return queued


def user_profile_update(*, user: User, name: str, phone: str, position: str, language: str) -> User:
    user.name = name.strip()
    user.phone = phone.strip()
    user.position = position.strip()
    user.language = language
    user.save(update_fields=["name", "phone", "position", "language"])
    return user


def user_lockout_clear(*, user: User) -> int:
    """Forget the failed logins of ``user`` (after they proved themselves by resetting the
    password through their e-mail). Returns how many lockout records were removed."""
    from axes.utils import reset

    from .throttle import login_failures_clear

    login_failures_clear(email=user.email)
    return reset(username=user.email)


def _can_decide(*, membership: Membership, by: User) -> bool:
    return by.is_staff or by.represents(membership.company_id)


def _notify_requester(membership: Membership, template: str) -> None:
    user = membership.user
    email_queue(
        to=user.email,
        template=f"accounts/emails/{template}",
        context={"user": user, "company": membership.company, "membership": membership},
        language=user.language,
        dedupe_key=f"membership-{membership.pk}-{template}-{membership.decided_at:%Y%m%d%H%M%S%f}",
    )


@transaction.atomic
def membership_request(*, user: User, company: Company, message: str = "") -> Membership:
    """Ask to join ``company`` as staff. The company's representatives are told by e-mail.

    A user belongs to at most one company and has at most one open request; a request that
    was rejected before may be made again.
    """
    # Lock the user's row so that two requests sent at once cannot both pass the checks.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = list(Membership.objects.select_related("company").filter(user=user))
    for membership in existing:
        if membership.status == Membership.Status.APPROVED:
            raise MembershipError(
                _("이미 %(company)s 소속입니다. 소속을 바꾸려면 SBA에 문의해 주세요.")
                % {"company": membership.company.name},
                "already_member",
            )
        if membership.status == Membership.Status.PENDING:
            raise MembershipError(
                _(
                    "%(company)s에 보낸 소속 요청이 승인 대기 중입니다. "
                    "다른 기업으로 요청하려면 먼저 그 요청을 취소해 주세요."
                )
                % {"company": membership.company.name},
                "request_pending",
            )
    previous = next((m for m in existing if m.company_id == company.pk), None)
    if previous is not None:
        previous.status = Membership.Status.PENDING
        previous.role = Membership.Role.STAFF
        previous.message = message.strip()
        previous.decided_by = None
        previous.decided_at = None
        previous.created_at = timezone.now()
        previous.save()
        membership = previous
    else:
        membership = Membership.objects.create(user=user, company=company, message=message.strip())
    representatives = User.objects.filter(
        memberships__company=company,
        memberships__status=Membership.Status.APPROVED,
        memberships__role=Membership.Role.REPRESENTATIVE,
        is_active=True,
    )
    for representative in representatives:
        email_queue(
            to=representative.email,
            template="accounts/emails/membership_requested",
            context={"representative": representative, "requester": user, "company": company, "membership": membership},
            language=representative.language,
            dedupe_key=f"membership-{membership.pk}-requested-{membership.created_at:%Y%m%d%H%M%S%f}-{representative.pk}",
        )
    return membership


def _locked_pending(membership: Membership, by: User) -> Membership:
    locked = Membership.objects.select_for_update().select_related("user", "company").get(pk=membership.pk)
    if not _can_decide(membership=locked, by=by):
        raise MembershipError(_("이 요청을 처리할 권한이 없습니다."), "forbidden")
    if locked.status != Membership.Status.PENDING:
        raise MembershipError(_("이미 처리된 요청입니다."), "already_decided")
    return locked


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    """Approve a pending request (by the company's representative or SBA staff) and tell the requester."""
    locked = _locked_pending(membership, by)
    if Membership.objects.filter(user_id=locked.user_id, status=Membership.Status.APPROVED).exists():
        raise MembershipError(_("이 사용자는 이미 다른 기업에 소속되어 있습니다."), "already_member")
    locked.status = Membership.Status.APPROVED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    try:
        with transaction.atomic():
            locked.save(update_fields=["status", "decided_by", "decided_at"])
    except IntegrityError:
        raise MembershipError(_("이 사용자는 이미 다른 기업에 소속되어 있습니다."), "already_member") from None
    _record_status(locked, AuditAction.MEMBERSHIP_APPROVE, by=by)
    _notify_requester(locked, "membership_approved")
    return locked


@transaction.atomic
def membership_reject(*, membership: Membership, by: User) -> Membership:
    """Reject a pending request and tell the requester."""
    locked = _locked_pending(membership, by)
    locked.status = Membership.Status.REJECTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    _record_status(locked, AuditAction.MEMBERSHIP_REJECT, by=by)
    _notify_requester(locked, "membership_rejected")
    return locked


@transaction.atomic
def membership_withdraw(*, membership: Membership, by: User) -> None:
    """The requester takes back their own pending request."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.user_id != by.pk:
        raise MembershipError(_("이 요청을 취소할 권한이 없습니다."), "forbidden")
    if locked.status != Membership.Status.PENDING:
        raise MembershipError(_("이미 처리된 요청입니다."), "already_decided")
    locked.delete()


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """A representative (or SBA staff) removes a staff member from the company.

    Representatives are changed by SBA staff only, so a representative cannot remove one.
    """
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if not _can_decide(membership=locked, by=by):
        raise MembershipError(_("이 구성원을 삭제할 권한이 없습니다."), "forbidden")
    if locked.status != Membership.Status.APPROVED:
        raise MembershipError(_("승인된 구성원만 삭제할 수 있습니다."), "not_approved")
    if locked.role == Membership.Role.REPRESENTATIVE and not by.is_staff:
        raise MembershipError(_("대표자는 SBA 담당자만 변경할 수 있습니다."), "forbidden")
    record(
        action=AuditAction.MEMBERSHIP_REMOVE,
        obj=locked,
        by=by,
        before={"user": locked.user_id, "company": locked.company_id, "role": locked.role, "status": locked.status},
    )
    locked.delete()


def _record_status(membership: Membership, action: AuditAction, *, by: User) -> None:
    record(
        action=action,
        obj=membership,
        by=by,
        before={"status": Membership.Status.PENDING},
        after={"status": membership.status, "role": membership.role},
    )


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, by: User) -> Membership:
    """SBA staff change an approved member's role (staff ↔ representative). A company may have
    several representatives; to pass the role from one person to another use
    ``membership_hand_over``."""
    if not by.is_staff:
        raise MembershipError(_("대표자는 SBA 담당자만 변경할 수 있습니다."), "forbidden")
    locked = Membership.objects.select_for_update().select_related("user", "company").get(pk=membership.pk)
    if locked.role == role:
        return locked
    before = locked.role
    locked.role = Membership.Role(role)
    locked.save(update_fields=["role"])
    record(action=AuditAction.MEMBERSHIP_ROLE_CHANGE, obj=locked, by=by, before={"role": before}, after={"role": role})
    return locked


@transaction.atomic
def membership_hand_over(*, membership: Membership, by: User) -> Membership:
    """Make ``membership`` (an approved member) the company's representative.

    The company's representative hands over their own role (to an approved staff member of the
    same company) and becomes staff: the hand-over they must make before leaving the portal.
    SBA staff may do it for any company, making every other representative a staff member."""
    locked = Membership.objects.select_for_update().select_related("user", "company").get(pk=membership.pk)
    if not (by.is_staff or by.represents(locked.company_id)):
        raise MembershipError(_("대표자 역할을 넘길 권한이 없습니다."), "forbidden")
    if locked.status != Membership.Status.APPROVED:
        raise MembershipError(_("승인된 구성원만 대표자가 될 수 있습니다."), "not_approved")
    if not by.is_staff and locked.role != Membership.Role.STAFF:
        raise MembershipError(_("승인된 직원 구성원에게만 대표자 역할을 넘길 수 있습니다."), "not_staff_member")
    previous = list(
        Membership.objects.select_for_update()
        .filter(company_id=locked.company_id, status=Membership.Status.APPROVED, role=Membership.Role.REPRESENTATIVE)
        .exclude(pk=locked.pk)
    )
    if not by.is_staff:
        # The representative hands over their own role; other representatives (if any) stay.
        previous = [m for m in previous if m.user_id == by.pk]
    for other in previous:
        other.role = Membership.Role.STAFF
        other.save(update_fields=["role"])
    locked.role = Membership.Role.REPRESENTATIVE
    locked.save(update_fields=["role"])
    record(
        action=AuditAction.MEMBERSHIP_HAND_OVER,
        obj=locked.company,
        by=by,
        before={"representatives": [other.user_id for other in previous]},
        after={"representatives": [locked.user_id]},
    )
    return locked
