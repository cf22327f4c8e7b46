from django.urls import path

from linli.disputes import views, views_detail, views_insight, views_print

app_name = "disputes"

urlpatterns = [
    # The list, registering (also from a case: ?case=<id>) and the party search (views.py).
    path("", views.dispute_list, name="list"),
    path("new/", views.register, name="register"),
    path("new/residents/", views.resident_search, name="resident_search"),
    # The dispute page and the forms on it (views_detail.py).
    path("<int:dispute_id>/", views_detail.dispute_detail, name="detail"),
    path("<int:dispute_id>/act/<str:action>/", views_detail.dispute_act, name="act"),
    path("<int:dispute_id>/regrade/", views_detail.dispute_regrade, name="regrade"),
    path("<int:dispute_id>/sessions/", views_detail.session_add, name="session_add"),
    path("<int:dispute_id>/agreement/", views_detail.agreement_save, name="agreement_save"),
    path("<int:dispute_id>/agreement/performance/", views_detail.agreement_performance,
         name="agreement_performance"),
    path("<int:dispute_id>/agreement/judicial/", views_detail.agreement_judicial,
         name="agreement_judicial"),
    path("<int:dispute_id>/reveal/", views_detail.party_reveal, name="party_reveal"),
    path("<int:dispute_id>/agreement.pdf", views_print.agreement_pdf, name="agreement_pdf"),
    path("indicators/", views_insight.indicators_page, name="indicators"),
    path("map/", views_insight.map_page, name="map"),
    path("map.geojson", views_insight.map_geojson, name="map_geojson"),
]
