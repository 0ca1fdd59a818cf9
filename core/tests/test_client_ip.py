"""The client's address comes only from proxies we run (issue 19, item 12)."""

from __future__ import annotations

from typing import Any

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from core.audit import client_ip, log_access

SPOOFED = "6.6.6.6"  # written by the client itself


def request_from(remote: str, forwarded: str | None = None) -> Any:
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_with_no_trusted_proxy_the_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.5", f"{SPOOFED}, 198.51.100.1")) == "203.0.113.5"


def test_the_default_trusts_no_proxy() -> None:
    assert client_ip(request_from("203.0.113.5", SPOOFED)) == "203.0.113.5"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # One proxy of ours appended the address it saw: the right-most entry.
        (1, f"{SPOOFED}, 198.51.100.7", "198.51.100.7"),
        (1, "198.51.100.7", "198.51.100.7"),
        # Two of ours (a CDN, then the load balancer): the second from the right.
        (2, f"{SPOOFED}, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Fewer entries than proxies: all were written by ours.
        (2, "198.51.100.7", "198.51.100.7"),
        # Not an address at all: the connection's.
        (1, f"{SPOOFED}, not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_only_the_trusted_proxies_entries_count(
    settings: Any, count: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from("10.0.0.1", forwarded)) == expected


@pytest.mark.parametrize("count", [0, 1, 2])
def test_the_lockout_reads_the_same_address(settings: Any, count: int) -> None:
    settings.TRUSTED_PROXY_COUNT = count
    request = request_from("10.0.0.1", f"{SPOOFED}, 198.51.100.7, 10.0.0.2")
    assert get_client_ip_address(request) == client_ip(request)


@pytest.mark.django_db
def test_the_access_log_does_not_record_the_spoofed_address(world: Any, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.1", f"{SPOOFED}, 198.51.100.7")
    request.user = world.coordinator
    entry = log_access(request, world.child)
    assert entry.ip_address == "198.51.100.7"
