"""The devices pages' routes (gathered by urls.py)."""

urlpatterns: list = []
