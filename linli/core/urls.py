from django.urls import path

from linli.core import maptiles, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("audit/", views.audit, name="audit"),
    path("maps/tiles/<int:z>/<int:x>/<int:y>", maptiles.map_tile, name="map_tile"),
]
