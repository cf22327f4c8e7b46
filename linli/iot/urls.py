"""The IoT pages: one routes module per part (devices, alarms, door access and welfare
watches), gathered here under /iot/."""

from linli.iot import urls_access, urls_alarms, urls_devices

app_name = "iot"

urlpatterns = [*urls_devices.urlpatterns, *urls_alarms.urlpatterns, *urls_access.urlpatterns]
