"""The one way a service refuses a person, and how every page answers it.

A door (an app's `<record>_get_for_user` selector) answers 404 when the person may not see a
record at all. Past the door, a service checks the actor itself, and when the actor may not do
what they asked it raises `NotAllowed`, the same everywhere:

- `NotAllowed(message)`: the person may know the record exists but may not do this to it
  (a coordinator closing a concern only a manager may close). A form page
  (`core.forms.submit_form`) shows the message at the top of the form, keeping what was typed;
  anywhere else `RefusalMiddleware` answers 403 with the message on the page.
- `NotAllowed(message, hidden=True)`: the person has no business knowing the record exists (no
  role in its scheme). Every page answers 404, exactly as the door would, so a refusal never
  tells anyone outside the scheme that a record is there.

A service never refuses a person with a ValidationError: that is for bad input, shown next to
its field.

What a page offers (its buttons and links) comes from the same checks: an app's
`<record>_actions(user, record)` in its services.py asks `permits(check)` of the very function
its services call before a write, so a page never offers what the service would refuse, and a
view carries no permission booleans of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse


class NotAllowed(PermissionDenied):
    """This actor may not do this. `hidden`: answer as if the record were not there (404)."""

    def __init__(self, message: str, *, hidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hidden = hidden


def permits(check: Callable[[], object]) -> bool:
    """True when `check()` passes, False when it refuses (raises NotAllowed). For the actions a
    page offers: `permits(lambda: _require_manager(user, complaint))`."""
    try:
        check()
    except NotAllowed:
        return False
    return True


class RefusalMiddleware:
    """A refusal that no view caught: 404 when hidden, else 403 with the service's message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, NotAllowed):
            return None
        if exc.hidden:
            raise Http404("Not found") from exc
        response = TemplateResponse(request, "403.html", {"reason": exc.message}, status=403)
        return response.render()
