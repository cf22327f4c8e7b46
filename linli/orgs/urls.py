from django.urls import path

from linli.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", views.area_import, name="import"),
    path("import/sample.csv", views.area_import_sample, name="import_sample"),
]
