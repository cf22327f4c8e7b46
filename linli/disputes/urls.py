from django.urls import path

from linli.disputes import views, views_insight, views_print

app_name = "disputes"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("<int:dispute_id>/", views.dispute_detail, name="detail"),
    path("<int:dispute_id>/agreement.pdf", views_print.agreement_pdf, name="agreement_pdf"),
    path("indicators/", views_insight.indicators_page, name="indicators"),
    path("map/", views_insight.map_page, name="map"),
    path("map.geojson", views_insight.map_geojson, name="map_geojson"),
]
