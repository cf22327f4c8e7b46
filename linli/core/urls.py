from django.urls import path

from linli.core import maptiles, views
from linli.core.exports import views as exports

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("audit/", views.audit, name="audit"),
    path("exports/new/<slug:kind>/", exports.export_new, name="export_new"),
    path("exports/<int:job_id>/", exports.export_job, name="export_job"),
    path("exports/<int:job_id>/progress/", exports.export_progress, name="export_progress"),
    path("exports/<int:job_id>/download/", exports.export_download, name="export_download"),
    path("maps/tiles/<int:z>/<int:x>/<int:y>", maptiles.map_tile, name="map_tile"),
]
