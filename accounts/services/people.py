"""Writes for the people of a scheme: invitations, role changes, deactivation.

The rules that run through all of them: nobody grants, changes or removes a role above their
own (accounts.access.highest_rank_in), nobody grants a role to themselves, and only a scheme's
coordinators and managers manage its people. The data protection officer's role reaches every
scheme of the organisation, so only the organisation's service manager (a service manager of
every one of its schemes) grants or ends it; each grant is kept in the role history and told
to the organisation's other managers (docs/decisions/0009-who-grants-the-dpo-role.md). A
deactivated account comes back only through a manager, and with a new password.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import access
from accounts.models import ManagerLevel, Membership, Organisation, Role, Scheme, User, role_rank
from accounts.sessions import end_all_sessions
from accounts.signals import role_granted
from core.refusals import NotAllowed, permits

SELF_GRANT = "You cannot give yourself a role; ask another manager."
DPO_GRANT = (
    "Only the organisation's service manager (a service manager of every one of its schemes) "
    "can give or end the role of data protection officer."
)
REACTIVATE = (
    "This person's account was deactivated. Only a manager of the scheme can bring it back; "
    "ask a manager to invite them."
)


def has_organisation_authority(*, actor: User, organisation: Organisation | int) -> bool:
    """Whether `actor` is the organisation's service manager: a service manager of every one
    of its schemes. Only they grant or end the organisation-wide data protection officer."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    scheme_ids = set(Scheme.objects.filter(organisation_id=org_id).values_list("pk", flat=True))
    managed = {
        m.scheme_id
        for m in access.memberships(actor)
        if m.role == Role.MANAGER and m.manager_level == ManagerLevel.SERVICE
    }
    return bool(scheme_ids) and scheme_ids <= managed


def grantable_roles(*, actor: User, scheme: Scheme) -> list[tuple[str, str]]:
    """(value, label) pairs of the roles `actor` may give in `scheme`, manager levels split."""
    if not access.is_staff_in(actor, scheme):
        return []
    ceiling = access.highest_rank_in(actor, scheme)
    options = [
        (Role.INDEPENDENT_VISITOR.value, Role.INDEPENDENT_VISITOR.label),
        (Role.SOCIAL_WORKER.value, Role.SOCIAL_WORKER.label),
        (Role.COORDINATOR.value, Role.COORDINATOR.label),
        (f"{Role.MANAGER.value}:{ManagerLevel.TEAM.value}", ManagerLevel.TEAM.label),
        (f"{Role.MANAGER.value}:{ManagerLevel.SERVICE.value}", ManagerLevel.SERVICE.label),
        (Role.COMPLAINTS_MANAGER.value, Role.COMPLAINTS_MANAGER.label),
        (Role.DATA_PROTECTION_OFFICER.value, Role.DATA_PROTECTION_OFFICER.label),
    ]
    if not has_organisation_authority(actor=actor, organisation=scheme.organisation_id):
        options = [o for o in options if o[0] != Role.DATA_PROTECTION_OFFICER]
    return [(v, label) for v, label in options if role_rank(*split_role(v)) <= ceiling]


def split_role(value: str) -> tuple[str, str]:
    role, _, level = value.partition(":")
    return role, level


def _check_can_grant(*, actor: User, scheme: Scheme, role: str, manager_level: str) -> None:
    access.require_staff(
        actor, scheme, "Only the scheme's coordinators and managers manage its people."
    )
    if role_rank(role, manager_level) > access.highest_rank_in(actor, scheme):
        raise NotAllowed("You cannot give a role above your own.")
    if role == Role.DATA_PROTECTION_OFFICER and not has_organisation_authority(
        actor=actor, organisation=scheme.organisation_id
    ):
        raise NotAllowed(DPO_GRANT)


def _after_grant(*, actor: User, membership: Membership) -> None:
    """Tell the apps above (notifications.receivers) that a role was given, in this
    transaction; the grant itself is in the role history (history_user is the actor)."""
    role_granted.send(sender=Membership, membership=membership, actor=actor)


def _send_invitation(*, user: User, scheme: Scheme, actor: User, base_url: str) -> None:
    needs_password = not user.has_usable_password()
    link = ""
    if needs_password:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = base_url + reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
        )
    context = {"user": user, "scheme": scheme, "actor": actor, "link": link, "base_url": base_url}
    send_mail(
        subject=f"You have been added to {scheme.name}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@transaction.atomic
def membership_invite(
    *,
    actor: User,
    scheme: Scheme,
    email: str,
    full_name: str,
    role: str,
    manager_level: str = "",
    base_url: str,
) -> Membership:
    """Give `email` a role in `scheme`, creating the account if needed, and email them a
    one-time link to choose a password (Django's reset token: single use, expires)."""

    _check_can_grant(actor=actor, scheme=scheme, role=role, manager_level=manager_level)
    email = email.strip().lower()
    if email == actor.email.strip().lower():
        raise ValidationError({"email": SELF_GRANT})
    user = User.objects.select_for_update().filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif not user.is_active:
        # Coming back after being deactivated: only a manager brings the account back, and
        # the old password stops working; the person chooses a new one from the emailed
        # one-time link (_send_invitation sends it to anyone without a usable password).
        if not access.has_role(actor, scheme, [Role.MANAGER]):
            raise ValidationError({"email": REACTIVATE})
        user.is_active = True
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        end_all_sessions(user=user)
    if Membership.objects.filter(user=user, scheme=scheme, role=role, is_active=True).exists():
        raise ValidationError({"email": "This person already has that role in this scheme."})
    membership = Membership(
        user=user, scheme=scheme, role=role, manager_level=manager_level, created_by=actor
    )
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.full_clean()
    membership.save()
    _after_grant(actor=actor, membership=membership)
    transaction.on_commit(
        lambda: _send_invitation(user=user, scheme=scheme, actor=actor, base_url=base_url)
    )
    return membership


def _check_can_manage(*, actor: User, membership: Membership, own: str) -> None:
    """Someone else's role, and one within the actor's reach (the role they have now); `own`
    is the refusal for the actor's own role."""
    if membership.user_id == actor.pk:
        raise NotAllowed(own)
    _check_can_grant(
        actor=actor,
        scheme=membership.scheme,
        role=membership.role,
        manager_level=membership.manager_level,
    )


OWN_CHANGE = "You cannot change your own role; ask another manager."
OWN_END = "You cannot remove your own role; ask another manager."


def membership_actions(user: User, membership: Membership) -> set[str]:
    """What the people page offers `user` for this role, by the checks the services make:
    change it, or end it (never their own, never one above theirs, never the data protection
    officer's unless they are the organisation's service manager)."""
    if not membership.is_active:
        return set()
    if not permits(lambda: _check_can_manage(actor=user, membership=membership, own=OWN_CHANGE)):
        return set()
    return {"change_role", "end_role"}


@transaction.atomic
def membership_change_role(
    *, actor: User, membership: Membership, role: str, manager_level: str = ""
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    # Both the role they have and the role they get must be within the actor's reach.
    _check_can_manage(actor=actor, membership=membership, own=OWN_CHANGE)
    _check_can_grant(actor=actor, scheme=membership.scheme, role=role, manager_level=manager_level)
    if not membership.is_active:
        raise ValidationError("This role has ended; invite the person again instead.")
    clash = Membership.objects.filter(
        user_id=membership.user_id, scheme_id=membership.scheme_id, role=role, is_active=True
    ).exclude(pk=membership.pk)
    if clash.exists():
        raise ValidationError({"role": "This person already has that role in this scheme."})
    membership.role = role
    membership.manager_level = manager_level
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.full_clean()
    membership.save(update_fields=["role", "manager_level"])
    _after_grant(actor=actor, membership=membership)
    access.forget_memberships(membership.user)
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    """End a person's role in a scheme. With no active role left anywhere, the account is
    deactivated and every session it has is ended at once."""

    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_can_manage(actor=actor, membership=membership, own=OWN_END)
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.save(update_fields=["is_active"])
    user = membership.user
    if not Membership.objects.filter(user=user, is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
        end_all_sessions(user=user)
    access.forget_memberships(user)
    return membership
