"""Forms of the votes pages. They only parse input; every rule lives in services.votes and
services.ballots (the form's ids are resolved through selectors_votes.resolve_refs)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.bounds import MAX_ID
from linli.deliberation.models import Base, Channel, Electorate, Matter, Threshold

KIND_CHOICES = [("yes_no", _("Yes / no (for, against, abstain)")),
                ("choices", _("Several choices"))]


def _id(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_ID)


class VoteForm(forms.Form):
    area = _id(_("Place"))
    question = forms.CharField(label=_("Question"), max_length=200)
    description = forms.CharField(label=_("Explanation"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    topic = _id(_("Topic (optional)"))
    meeting = _id(_("Meeting (optional)"))
    electorate = forms.ChoiceField(label=_("Who votes"), choices=Electorate.choices)
    body = _id(_("Body (for a vote of its members)"))
    matter = forms.ChoiceField(label=_("Matter (owners' votes)"), choices=Matter.choices,
                               required=False)
    kind = forms.ChoiceField(label=_("Options"), choices=KIND_CHOICES,
                             widget=forms.RadioSelect)
    choices = forms.CharField(label=_("Choices, one a line (2–20)"), required=False,
                              max_length=2200, widget=forms.Textarea(attrs={"rows": 4}))
    max_choices = forms.IntegerField(label=_("Each voter chooses at most"), required=False,
                                     min_value=1, max_value=20)
    quorum = forms.CharField(label=_("Quorum (optional share of the electorate, e.g. >1/2)"),
                             required=False, max_length=16)
    threshold = forms.ChoiceField(label=_("Decided by"), choices=Threshold.choices)
    custom_share = forms.CharField(label=_("Custom share (e.g. >=3/5)"), required=False,
                                   max_length=16)
    custom_base = forms.ChoiceField(label=_("Custom share of"), choices=Base.choices,
                                    required=False)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)
    changeable = forms.BooleanField(label=_("Ballots may be changed until the close"),
                                    required=False)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    publicity_days = forms.IntegerField(label=_("公示 period (working days)"), required=False,
                                        min_value=0, max_value=30)
    convention_version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                            widget=forms.HiddenInput)

    def fields_for_service(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the plain fields, the ids to resolve) for vote_create / vote_update."""
        d = self.cleaned_data
        plain = {
            "question": d["question"], "description": d["description"],
            "electorate": d["electorate"], "matter": d["matter"] or Matter.ORDINARY,
            "kind": d["kind"], "choices": [line for line in d["choices"].splitlines()],
            "max_choices": d["max_choices"] or 1, "quorum": d["quorum"],
            "threshold": d["threshold"], "custom_share": d["custom_share"],
            "custom_base": d["custom_base"] or Base.CAST, "secret": d["secret"],
            "changeable": d["changeable"], "closes_at": d["closes_at"],
            "publicity_days": d["publicity_days"],
        }
        ids = {"area_id": d["area"], "topic_id": d["topic"], "meeting_id": d["meeting"],
               "body_id": d["body"], "convention_version_id": d["convention_version"]}
        return plain, ids


def initial_from(fields: dict[str, Any]) -> dict[str, Any]:
    """A draft's fields (services.vote_fields) as the form's initial data."""
    def pk(row):
        return row.pk if row is not None else None

    return {
        "area": pk(fields["area"]), "question": fields["question"],
        "description": fields["description"], "topic": pk(fields["topic"]),
        "meeting": pk(fields["meeting"]), "electorate": fields["electorate"],
        "body": pk(fields["body"]), "matter": fields["matter"], "kind": fields["kind"],
        "choices": "\n".join(fields["choices"]), "max_choices": fields["max_choices"],
        "quorum": fields["quorum"], "threshold": fields["threshold"],
        "custom_share": fields["custom_share"], "custom_base": fields["custom_base"],
        "secret": fields["secret"], "changeable": fields["changeable"],
        "closes_at": timezone.localtime(fields["closes_at"]),
        "publicity_days": fields["publicity_days"],
        "convention_version": pk(fields["convention_version"]),
    }


class ActionForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class PaperForm(forms.Form):
    elector = forms.IntegerField(label=_("Voter"), min_value=1, max_value=MAX_ID)
    channel = forms.ChoiceField(label=_("How"), choices=[
        (Channel.PAPER, Channel.PAPER.label), (Channel.DOOR, Channel.DOOR.label)])
