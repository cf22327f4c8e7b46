"""The votes pages (stub: filled in by the votes part)."""

urlpatterns: list = []
