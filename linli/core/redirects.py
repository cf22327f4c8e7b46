"""Where a page may send the browser next: only back into this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, url: str | None, fallback: str = "") -> str:
    """`url` if it leads to this site (a path, or this host over the request's scheme),
    else `fallback`: a `next` field or a link never sends anyone elsewhere."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return fallback
