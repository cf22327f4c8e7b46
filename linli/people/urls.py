from django.urls import path

from linli.people import views, views_care, views_map, views_reveal
from linli.people.imports import views as import_views

app_name = "people"

urlpatterns = [
    path("", views.registry, name="list"),
    path("me/", views.me, name="me"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("households/<int:household_id>/move-out/", views.household_move_out,
         name="household_move_out"),
    path("households/<int:household_id>/residents/new/", views.resident_new,
         name="household_resident_new"),
    path("residents/new/", views.resident_new, name="resident_new"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident"),
    path("residents/<int:resident_id>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:resident_id>/move-out/", views.resident_move_out,
         name="resident_move_out"),
    path("residents/<int:resident_id>/link-user/", views.resident_link_user,
         name="resident_link_user"),
    path("residents/<int:resident_id>/reveal/<str:field>/", views_reveal.reveal, name="reveal"),
    path("residents/<int:resident_id>/masked/<str:field>/", views_reveal.masked, name="masked"),
    path("residents/<int:resident_id>/consents/", views_care.consent_add, name="consent_add"),
    path("consents/<int:consent_id>/withdraw/", views_care.consent_withdraw,
         name="consent_withdraw"),
    path("residents/<int:resident_id>/tags/", views_care.tag_add, name="tag_add"),
    path("residents/<int:resident_id>/tags/<int:row_id>/remove/", views_care.tag_remove,
         name="tag_remove"),
    path("residents/<int:resident_id>/plan/", views_care.plan_edit, name="plan"),
    path("residents/<int:resident_id>/visits/new/", views_care.visit_new, name="visit_new"),
    path("visit-photos/<int:photo_id>/", views_care.visit_photo, name="visit_photo"),
    path("visit-photos/held/<str:token>/", views_care.visit_photo_held, name="visit_photo_held"),
    path("visit-photos/<int:photo_id>/thumb/", views_care.visit_photo, {"thumb": True},
         name="visit_photo_thumb"),
    path("care/", views_care.care_list, name="care"),
    path("grid-map/", views_map.grid_map, name="grid_map"),
    path("care/completion/", views_care.completion, name="completion"),
    path("access-log/", views_care.access_log, name="access_log"),
    path("import/", import_views.import_page, name="import"),
    path("import/sample.xlsx", import_views.import_sample, name="import_sample"),
    path("import/<int:job_id>/", import_views.import_job, name="import_job"),
    path("import/<int:job_id>/progress/", import_views.import_progress,
         name="import_progress"),
    path("export/", import_views.export_page, name="export"),
]
