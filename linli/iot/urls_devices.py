"""The devices pages' routes (gathered by urls.py)."""

from linli.iot.views_devices import urlpatterns

__all__ = ["urlpatterns"]
