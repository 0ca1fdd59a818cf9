"""Putting a background job on the broker from a request or a service."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def send_or_log(task: Any, *, what: str, args: tuple[Any, ...] = (), **kwargs: Any) -> bool:
    """Queue `task` once, without retrying against a broker that is down: the request that
    asked must still succeed. Its row stays waiting (a sweep or the person asks again), and
    the failure is logged with `what` it was for."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:
        log.warning("could not enqueue %s", what, exc_info=True)
        return False
    return True
