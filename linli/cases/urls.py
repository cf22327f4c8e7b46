from django.urls import path

from linli.cases import media_views, views, views_map, views_resident, views_staff

app_name = "cases"

urlpatterns = [
    path("photos/<int:photo_id>/", media_views.photo_file, name="photo"),
    path("photos/<int:photo_id>/thumb/", media_views.photo_thumbnail, name="photo_thumbnail"),
    # Pages (views*.py): reporting, each role's list, the case page and its actions.
    path("", views.index, name="index"),
    path("new/", views_resident.report_new, name="new"),
    path("new/areas/", views_resident.area_picker, name="area_picker"),
    path("new/duplicates/", views_resident.duplicates, name="duplicates"),
    path("patrol/", views_resident.patrol, name="patrol"),
    path("mine/", views_resident.mine, name="mine"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/reported/", views_resident.reported, name="reported"),
    path("<int:case_id>/act/<str:action>/", views.case_act, name="act"),
    path("<int:case_id>/extension/", views.extension_request, name="extension_request"),
    path("queue/", views_staff.queue, name="queue"),
    path("map/", views_map.case_map, name="map"),
    path("map/cases.geojson", views_map.case_map_cases, name="map_cases"),
    path("queue/accept/", views_staff.bulk_accept, name="bulk_accept"),
    path("unit/", views_staff.unit_inbox, name="unit"),
    path("verify/", views_staff.verify_list, name="verify"),
    path("extensions/", views_staff.extension_list, name="extensions"),
    path("extensions/<int:extension_id>/decide/", views_staff.extension_decide,
         name="extension_decide"),
]
