"""The needs-survey pages."""

from linli.surveys import views

app_name = "surveys"

urlpatterns = views.urlpatterns
