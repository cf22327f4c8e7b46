from django.urls import path

from linli.disputes import views

app_name = "disputes"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("<int:dispute_id>/", views.dispute_detail, name="detail"),
]
