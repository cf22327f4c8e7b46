"""Inspection pages: orders. `urlpatterns` is gathered by urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
