"""What each app adds to pages it does not own, declared by the app and read here.

Core is the kernel: it knows no app by name. An app registers, in its AppConfig.ready():
- its navigation entries (`nav_entry`): which roles see them, and where in the menu;
- its extras for another app's record page (`record_extra`): for example the legal-hold
  banner that dataprotection adds to a child's and a volunteer's page.

The page that shows the menu (portal) or the record (referrals, volunteers) asks this registry,
so a new app adds its link or panel in its own folder, and the lower app never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    # Shown to a person who holds any of these roles (accounts.Role values) in any scheme.
    roles: frozenset[str]
    # Its place in the menu: lower comes first.
    order: int
    # A further condition on the person, e.g. "has a volunteer record".
    when: Callable[[Any], bool] | None = None


_nav: dict[str, NavEntry] = {}
# kind of record ("child", "volunteer") -> name -> function(user, record) -> context to add
_record_extras: dict[str, dict[str, Callable[[Any, Any], dict[str, Any]]]] = {}


def nav_entry(
    label: str,
    url_name: str,
    *,
    roles: Collection[str],
    order: int,
    when: Callable[[Any], bool] | None = None,
) -> None:
    """Add a menu entry; registering the same URL name again replaces it (ready() may rerun)."""
    _nav[url_name] = NavEntry(label, url_name, frozenset(roles), order, when)


def nav_entries() -> list[NavEntry]:
    return sorted(_nav.values(), key=lambda e: (e.order, e.label))


def record_extra(kind: str, name: str, extra: Callable[[Any, Any], dict[str, Any]]) -> None:
    """Add `extra(user, record)`'s context to every page that shows a record of `kind`."""
    _record_extras.setdefault(kind, {})[name] = extra


def record_extras_context(kind: str, user: Any, record: Any) -> dict[str, Any]:
    """The context every registered extra adds to this record's page, in registration order."""
    context: dict[str, Any] = {}
    for extra in _record_extras.get(kind, {}).values():
        context.update(extra(user, record))
    return context
