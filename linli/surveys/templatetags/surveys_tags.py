"""Small helpers of the survey pages."""

from django import template

register = template.Library()


@register.simple_tag
def question_posted(question, form_id: str, posted) -> dict:
    """What a question's edit form shows: what was typed if that form was refused, else the
    question as it is."""
    if form_id == getattr(question, "fid", None) and posted is not None:
        return posted
    return {"text": question.text, "kind": question.kind,
            "options": "\n".join(question.options), "scale_max": str(question.scale_max),
            "required": "on" if question.required else "",
            "asks_need": "on" if question.asks_need else ""}


@register.filter
def in_list(value, values) -> bool:
    """"3" in ["1", "3"] (a posted checkbox list, or a single posted value)."""
    if values is None:
        return False
    if isinstance(values, str):
        return str(value) == values
    return str(value) in [str(v) for v in values]


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def scale_range(question) -> range:
    return range(1, question.scale_max + 1)


@register.simple_tag
def answer_text(answer) -> str:
    question = answer.question
    if question.kind in ("single", "multiple"):
        return "、".join(question.options[i] for i in answer.choices
                        if 0 <= i < len(question.options))
    if question.kind == "scale":
        return f"{answer.number} / {question.scale_max}"
    if question.kind == "area":
        from linli.people.selectors import place_labels

        return place_labels([answer.area])[answer.area.pk] if answer.area else ""
    return answer.text


@register.filter
def answer_of(posted, question):
    """What was typed for `question` ("q<id>" in the posted answers)."""
    return posted.get(f"q{question.pk}") if hasattr(posted, "get") else None
