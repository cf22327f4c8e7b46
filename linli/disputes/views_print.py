"""The printable agreement (调解协议书, PDF): shown in the browser, to be printed and signed.

Thin: the dispute is read through the selector (out of scope → 404), the service checks who
may print, makes the PDF and audits the reveal. A refusal answers with its status on the
"Not done" page: 403 not a handler or coordinator, 404 no agreement, 503 no font.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from linli.core.errors import ApplicationError
from linli.core.refusals import render_refused
from linli.disputes import selectors, services


@login_required
@require_GET
def agreement_pdf(request, dispute_id: int):
    dispute = selectors.dispute_get(actor=request.user, dispute_id=dispute_id)
    try:
        printed = services.agreement_print(actor=request.user, dispute=dispute)
    except ApplicationError as error:
        return render_refused(request, error, reverse("disputes:detail", args=[dispute.pk]))
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = printed.content_disposition()
    # The parties' identities are in it: no copy in any cache on the way.
    response["Cache-Control"] = "no-store, private"
    return response
