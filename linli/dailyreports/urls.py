from django.urls import path

from linli.dailyreports import views

app_name = "daily"

urlpatterns = [
    path("", views.today, name="today"),
    path("add/<str:kind>/", views.item_new, name="item_new"),
    path("photos/held/<str:token>/", views.photo_held, name="photo_held"),
    path("community/", views.community, name="community"),
    path("community/month/", views.month, name="month"),
    path("reports/", views.report_list, name="list"),
    path("reports/<int:report_id>/", views.report_detail, name="detail"),
]
