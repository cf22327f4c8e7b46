"""A tiny test-only app: one workflow on the kit, for the kit's own tests. Installed only
when the settings are loaded by pytest; it has no migrations (the test database is made
with run_syncdb)."""
