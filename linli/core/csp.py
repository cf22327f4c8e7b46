"""The Content-Security-Policy every answer carries: scripts, styles, fonts and data come
from this site only, so no page can load a third-party script (deployments sit on
intranets, and a script from elsewhere is a door). Linli's pages have no inline scripts
or handlers (data travels in `json_script` blocks, which are not run); inline styles stay
allowed for the attributes and the CSS that HTMX, Leaflet and Swagger UI set. Map tiles may
come from the operator's tile server (LINLI_MAP_TILE_URL), and only from it, or from Linli
itself (LINLI_MAP_MBTILES).
"""

from urllib.parse import urlsplit

from django.conf import settings

HEADER = "Content-Security-Policy"


def _tile_origin() -> str:
    if settings.MAP_MBTILES:
        return ""  # Linli serves the tiles itself: 'self' covers them
    parts = urlsplit(settings.MAP_TILE_URL or "")
    # Leaflet's "{s}" picks a subdomain per tile (a.tiles..., b.tiles...): any of them.
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}" if parts.scheme and host else ""


def policy() -> str:
    images = " ".join(filter(None, ["'self'", "data:", "blob:", _tile_origin()]))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(HEADER, policy())
        return response
