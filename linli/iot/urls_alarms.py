"""The alarms pages' routes (gathered by urls.py)."""

from django.urls import path

from linli.iot import views_alarms

urlpatterns: list = [
    path("alarms/", views_alarms.alarm_list, name="alarms"),
    path("alarms/<int:alarm_id>/", views_alarms.alarm_detail, name="alarm"),
    path("alarms/<int:alarm_id>/act/<str:action>/", views_alarms.alarm_act, name="alarm_act"),
]
