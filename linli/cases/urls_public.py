"""`/public/`: a community's public cases, for residents and (if it allows) everyone."""

from django.urls import path

from linli.cases import views_public

app_name = "public"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("settings/", views_public.publication_settings, name="settings"),
    path("settings/<int:community_id>/", views_public.publication_save, name="settings_save"),
    path("<int:community_id>/", views_public.case_list, name="list"),
    path("<int:community_id>/cases.geojson", views_public.geojson, name="geojson"),
    path("<int:community_id>/cases/<int:case_id>/", views_public.case_detail, name="case"),
    path("<int:community_id>/cases/<int:case_id>/support/", views_public.support,
         name="support"),
]
