"""The inspection pages, one module per part: each module's `urlpatterns`, gathered here."""

from linli.inspections import (
    views_campaigns,
    views_inspect,
    views_ledger,
    views_orders,
    views_targets,
)

app_name = "inspections"

urlpatterns = [
    *views_campaigns.urlpatterns,  # the campaigns list (the app's home), schedules, checklists
    *views_targets.urlpatterns,    # targets, their import and the audited contact reveal
    *views_inspect.urlpatterns,    # the on-site form (375 px)
    *views_orders.urlpatterns,     # orders, their moves and the printed 整改通知书
    *views_ledger.urlpatterns,     # the problem ledger (问题台账) and its export
]
