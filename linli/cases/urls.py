from django.urls import path

from linli.cases import (
    media_views,
    views,
    views_map,
    views_resident,
    views_staff,
    views_supervision,
    views_units,
)

app_name = "cases"

urlpatterns = [
    path("photos/<int:photo_id>/", media_views.photo_file, name="photo"),
    path("photos/<int:photo_id>/thumb/", media_views.photo_thumbnail, name="photo_thumbnail"),
    # Pages (views*.py): reporting, each role's list, the case page and its actions.
    path("", views.index, name="index"),
    path("new/", views_resident.report_new, name="new"),
    path("new/photos/<str:token>/", views_resident.report_photo_held, name="report_photo_held"),
    path("new/areas/", views_resident.area_picker, name="area_picker"),
    path("new/duplicates/", views_resident.duplicates, name="duplicates"),
    path("patrol/", views_resident.patrol, name="patrol"),
    path("hotline/", views_resident.hotline, name="hotline"),
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
    path("supervision/", views_supervision.supervision_page, name="supervision"),
    path("verify/", views_staff.verify_list, name="verify"),
    path("extensions/", views_staff.extension_list, name="extensions"),
    path("extensions/<int:extension_id>/decide/", views_staff.extension_decide,
         name="extension_decide"),
    # Handling units, their service areas, default routes and members (views_units.py).
    path("units/", views_units.unit_list, name="units"),
    path("units/new/", views_units.unit_new, name="unit_new"),
    path("units/<int:unit_id>/", views_units.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", views_units.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/areas/", views_units.unit_area_add, name="unit_area_add"),
    path("units/<int:unit_id>/areas/<int:area_id>/remove/", views_units.unit_area_remove,
         name="unit_area_remove"),
    path("units/<int:unit_id>/routes/", views_units.route_add, name="unit_route_add"),
    path("units/<int:unit_id>/routes/<int:route_id>/remove/", views_units.route_remove,
         name="unit_route_remove"),
    path("units/<int:unit_id>/members/", views_units.member_add, name="unit_member_add"),
    path("units/<int:unit_id>/members/<int:assignment_id>/remove/",
         views_units.member_remove, name="unit_member_remove"),
]
