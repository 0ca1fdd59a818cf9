"""Sign-in lockout (django-axes): by the pair of account and address, plus a per-address cap.

- Five wrong passwords for one account from one address lock that pair: the attacker's
  address is shut out of that account, and the owner, from anywhere else, still signs in.
- AXES_ADDRESS_FAILURE_LIMIT wrong passwords from one address, for any accounts, lock that
  address out of every account (someone trying many accounts from one place).
- Tries during a lockout are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off),
  so neither the owner's right password nor the attacker's further guesses extend it.
- A signed-in success clears only its own pair, never the address's other failures: an
  attacker cannot wipe their guesses at someone else by signing in to their own account.
- A password set from an emailed link lifts every lock of the account
  (accounts.services.password_was_reset).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest


def _sum(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class PairAndAddressHandler(AxesDatabaseHandler):
    """axes' database handler with two limits instead of one: AXES_FAILURE_LIMIT for an
    account from one address, AXES_ADDRESS_FAILURE_LIMIT for an address across accounts."""

    def _recent(self, request: HttpRequest) -> QuerySet[AccessAttempt]:
        return AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            attempt_time__gte=get_cool_off_threshold(request),
        )

    def _pair(self, request: HttpRequest, credentials: dict[str, Any] | None) -> QuerySet:
        return self._recent(request).filter(username=get_client_username(request, credentials))

    def address_is_locked(self, request: HttpRequest) -> bool:
        return _sum(self._recent(request)) >= settings.AXES_ADDRESS_FAILURE_LIMIT

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair = _sum(self._pair(request, credentials))
        if self.address_is_locked(request):
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return int(count)

    def lock_ends_at(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> datetime | None:
        """When the lock this request met ends: the cool-off after the last counted try."""
        attempts = (
            self._recent(request)
            if self.address_is_locked(request)
            else self._pair(request, credentials)
        )
        last = attempts.aggregate(last=Max("attempt_time"))["last"]
        cool_off = get_cool_off(request)
        if last is None or cool_off is None:
            return None
        return last + cool_off


def lock_ends_at(
    request: HttpRequest, credentials: dict[str, Any] | None = None
) -> datetime | None:
    """When the lock this sign-in met ends (for the lockout page), or None if unknown."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    if isinstance(handler, PairAndAddressHandler):
        return handler.lock_ends_at(request, credentials)
    return None
