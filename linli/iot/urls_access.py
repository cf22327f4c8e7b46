"""The access pages' routes (gathered by urls.py): doors and their counts, welfare
watches."""

from linli.iot.views_access import urlpatterns

__all__ = ["urlpatterns"]
