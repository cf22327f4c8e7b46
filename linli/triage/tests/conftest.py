"""The triage tests' shared fixtures (training_kit.py)."""

from linli.triage.tests.training_kit import en_client, english, triage_data  # noqa: F401
