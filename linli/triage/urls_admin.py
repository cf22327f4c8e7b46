"""The triage pages' routes (namespace `triage`, mounted at /triage/): the admin page, and
the suggestions the report form asks for as the description is typed."""

from django.urls import path

from linli.triage import views, views_admin

app_name = "triage"
urlpatterns = [
    path("", views_admin.admin, name="admin"),
    path("status/", views_admin.status, name="status"),
    path("train/", views_admin.train, name="train"),
    path("rules/<int:category_id>/", views_admin.rule_edit, name="rule_edit"),
    path("suggest/", views.suggest, name="suggest"),
]
