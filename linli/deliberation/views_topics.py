"""The topics pages (stub: filled in by the topics part)."""

urlpatterns: list = []
