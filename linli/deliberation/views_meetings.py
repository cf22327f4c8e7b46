"""The meetings pages (stub: filled in by the meetings part)."""

urlpatterns: list = []
