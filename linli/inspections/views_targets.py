"""Inspection pages: targets. `urlpatterns` is gathered by urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
