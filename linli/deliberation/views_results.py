"""The results pages (stub: filled in by the results part)."""

urlpatterns: list = []
