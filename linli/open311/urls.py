"""/open311/discovery.{xml,json} and the GeoReport v2 endpoint at /open311/v2/."""

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

app_name = "open311"
urlpatterns = [
    path("discovery.<o311fmt:fmt>", views.discovery, name="discovery"),
    path("v2/", views.root, name="root"),
    path("v2", views.root),
    path("v2/discovery.<o311fmt:fmt>", views.discovery),
    path("v2/services.<o311fmt:fmt>", views.services, name="services"),
    path("v2/services/<o311code:code>.<o311fmt:fmt>", views.service_definition, name="service"),
    path("v2/requests.<o311fmt:fmt>", views.requests, name="requests"),
    path("v2/requests/<int:request_id>.<o311fmt:fmt>", views.request_detail, name="request"),
    path("v2/tokens/<o311token:token>.<o311fmt:fmt>", views.token_detail, name="token"),
    path("v2/servicerequestupdates.<o311fmt:fmt>", views.request_updates, name="updates"),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
