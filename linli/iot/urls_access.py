"""The access pages' routes (gathered by urls.py)."""

urlpatterns: list = []
