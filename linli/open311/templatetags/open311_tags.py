"""What an Open311 app sent beside the description, for the staff on the case page."""

from dataclasses import dataclass

from django import template

from linli.open311.attributes import answer_text
from linli.open311.models import ServiceAttribute, Submission

register = template.Library()


@dataclass
class Submitted:
    app: str
    answers: list[tuple[str, str]]  # (question, answer as people read it)
    media_urls: list[str]  # every link the app sent, in order (photos are on the timeline)


@register.simple_tag
def open311_submitted(case) -> Submitted | None:
    submission = (Submission.objects.filter(case=case).select_related("api_key").first()
                  if case.channel == "open311" else None)
    if submission is None:
        return None
    questions = {a.code: a for a in ServiceAttribute.objects.filter(category=case.category_id)}
    answers = [(questions[code].description if code in questions else code,
                answer_text(questions.get(code), answer))
               for code, answer in sorted(submission.attributes.items(),
                                          key=lambda item: getattr(questions.get(item[0]),
                                                                   "order", 0))]
    return Submitted(app=submission.api_key.app_name, answers=answers,
                     media_urls=submission.all_media_urls)
