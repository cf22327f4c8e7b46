"""Linli (邻里): community governance in one open system."""

from linli.celery import app as celery_app

__all__ = ["celery_app"]
