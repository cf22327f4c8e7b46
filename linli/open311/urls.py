"""/open311/discovery.{xml,json}, the GeoReport v2 endpoint at /open311/v2/ and the
sandbox (test) endpoint at /open311/test/v2/."""

from django.urls import path, re_path, register_converter

from linli.open311 import views


class FormatConverter:
    regex = "xml|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter(FormatConverter):
    regex = "[A-Za-z0-9_-]{1,50}"


class TokenConverter(FormatConverter):
    regex = "[A-Za-z0-9_-]{1,128}"


register_converter(FormatConverter, "o311fmt")
register_converter(CodeConverter, "o311code")
register_converter(TokenConverter, "o311token")

def _resources(prefix: str, name: str, sandbox: bool) -> list:
    """Every resource of one GeoReport v2 endpoint. The test endpoint's (`sandbox`) are
    the same views, told by a URL keyword argument to serve sandbox jurisdictions only."""
    extra = {"sandbox": True} if sandbox else {}
    return [
        path(f"{prefix}/", views.root, extra, name=f"{name}root"),
        path(prefix, views.root, extra),
        path(f"{prefix}/discovery.<o311fmt:fmt>", views.discovery, extra),
        path(f"{prefix}/services.<o311fmt:fmt>", views.services, extra, name=f"{name}services"),
        path(f"{prefix}/services/<o311code:code>.<o311fmt:fmt>", views.service_definition,
             extra, name=f"{name}service"),
        path(f"{prefix}/requests.<o311fmt:fmt>", views.requests, extra, name=f"{name}requests"),
        path(f"{prefix}/requests/<int:request_id>.<o311fmt:fmt>", views.request_detail,
             extra, name=f"{name}request"),
        path(f"{prefix}/tokens/<o311token:token>.<o311fmt:fmt>", views.token_detail, extra,
             name=f"{name}token"),
        path(f"{prefix}/servicerequestupdates.<o311fmt:fmt>", views.request_updates, extra,
             name=f"{name}updates"),
    ]


app_name = "open311"
urlpatterns = [
    path("discovery.<o311fmt:fmt>", views.discovery, name="discovery"),
    *_resources("v2", "", sandbox=False),
    *_resources("test/v2", "test_", sandbox=True),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
