from django.urls import path

from linli.orgs import views, views_shapes
from linli.orgs.imports import views as import_views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", import_views.area_import, name="import"),
    path("import/sample.csv", import_views.area_import_sample, name="import_sample"),
    path("import/shapes/", views_shapes.shapes_import, name="shapes_import"),
    path("areas/<int:area_id>/shape/", views_shapes.area_shape, name="shape"),
    path("shapes.geojson", views_shapes.shapes_geojson, name="shapes_geojson"),
]
