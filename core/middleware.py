from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Pages seen by a signed-in person are never stored by a browser or a proxy.

    These pages hold children's records: a shared family computer's back button or a proxy
    cache must not be able to show them again after sign-out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class RejectNulBytesMiddleware:
    """A request whose path or query holds a NUL byte (%00) is refused with 400 Bad Request.

    No page of ours takes one, and PostgreSQL refuses to store or even compare a string that
    holds one, so a NUL that reached a lookup or a search was a server error. Checked once here,
    before any view, rather than in every view that reads the URL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest(
                "This address holds a character no page takes (a NUL byte).",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
