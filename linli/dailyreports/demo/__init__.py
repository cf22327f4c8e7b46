"""The daily reports' part of the demo (`linli demo`): a month of reports for every grid
worker (core/demo.py finds `DEMO_STEPS` here)."""

from linli.dailyreports.demo.reports import DEMO_STEPS, demo_daily_reports, demo_present

__all__ = ["DEMO_STEPS", "demo_daily_reports", "demo_present"]
