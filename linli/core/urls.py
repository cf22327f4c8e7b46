from django.urls import path

from linli.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("audit/", views.audit, name="audit"),
]
