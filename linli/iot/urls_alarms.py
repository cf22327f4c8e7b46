"""The alarms pages' routes (gathered by urls.py)."""

urlpatterns: list = []
