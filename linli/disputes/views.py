"""Placeholder pages, replaced by the disputes pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from linli.disputes import selectors


@login_required
def dispute_list(request):
    return HttpResponse(str(selectors.dispute_list(actor=request.user).count()))


@login_required
def dispute_detail(request, dispute_id: int):
    dispute = get_object_or_404(selectors.dispute_list(actor=request.user), pk=dispute_id)
    return HttpResponse(dispute.number)
