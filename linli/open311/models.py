"""Open311 GeoReport v2 over cases: which communities are published under which
jurisdiction_id, the apps allowed to file requests (API keys), the extra questions a
category asks (service attributes), and what each filed request brought with it.

Cases themselves stay in `linli.cases`; a request filed here is an ordinary case of
channel "open311" plus one `Submission` row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.cases.models import Case, Category
from linli.orgs.models import Area


class Jurisdiction(models.Model):
    """One community published through Open311 under a `jurisdiction_id`."""

    jurisdiction_id = models.CharField(
        _("jurisdiction id"), max_length=100, unique=True,
        help_text=_("What apps send as jurisdiction_id: 1-100 letters, digits, dots, dashes "
                    "or underscores. The community's web address is a good choice, such as "
                    "hualou.example.gov.cn."))
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    # Clients that send no jurisdiction_id get the default one; without a default they
    # must name one as soon as more than one is published.
    is_default = models.BooleanField(
        _("default"), default=False,
        help_text=_("Answers apps that send no jurisdiction_id."))
    is_active = models.BooleanField(_("active"), default=True)
    # A sandbox is served only under the test endpoint (/open311/test/v2/), and its
    # community is one nobody staffs, so what apps file there never reaches a queue.
    is_sandbox = models.BooleanField(
        _("sandbox"), default=False,
        help_text=_("A test jurisdiction for app developers, served at the test endpoint "
                    "only; its requests never reach a dispatcher's queue."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Open311 jurisdiction")
        verbose_name_plural = _("Open311 jurisdictions")
        ordering = ["jurisdiction_id"]
        constraints = [
            models.UniqueConstraint(fields=["community"], name="jurisdiction_one_per_community"),
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                    name="jurisdiction_one_default"),
        ]

    def __str__(self) -> str:
        return self.jurisdiction_id


class ApiKey(models.Model):
    """A key an administrator issued to an app. Only a hash is stored; the key is shown once.
    The key may file requests only into its communities, at most `rate_limit` a minute."""

    app_name = models.CharField(_("app"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    communities = models.ManyToManyField(
        Area, related_name="+", verbose_name=_("communities"),
        help_text=_("The communities the app may file requests into."))
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"), default=60,
        help_text=_("Requests the app may file each minute; more are refused."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.app_name} ({self.prefix}…)"


class Datatype(models.TextChoices):
    STRING = "string", _("string")
    NUMBER = "number", _("number")
    DATETIME = "datetime", _("date and time")
    TEXT = "text", _("text")
    SINGLE = "singlevaluelist", _("one of a list")
    MULTI = "multivaluelist", _("several of a list")


LIST_TYPES = (Datatype.SINGLE, Datatype.MULTI)


class ServiceAttribute(models.Model):
    """An extra question a category asks (GeoReport "service definition" attribute).
    `values` lists the choices of a list type as [{"key": ..., "name": ...}]."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE,
                                 related_name="open311_attributes", verbose_name=_("category"))
    code = models.CharField(_("code"), max_length=50)
    datatype = models.CharField(_("type"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    # False: shown to the person as information only, no answer expected.
    variable = models.BooleanField(_("asks for input"), default=True)
    description = models.CharField(_("question"), max_length=500)
    datatype_description = models.CharField(_("hint"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))
    values = models.JSONField(
        _("choices"), default=list, blank=True,
        help_text=_('For the two list types only, one entry per choice: [{"key": "yes", '
                    '"name": "Someone is trapped"}, {"key": "no", "name": "Nobody is '
                    'trapped"}]. Apps send the key; people see the name.'))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")
        ordering = ["category__code", "order"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="attribute_code_unique"),
            models.UniqueConstraint(fields=["category", "order"],
                                    name="attribute_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}/{self.code}"


class Submission(models.Model):
    """What an Open311 request brought beside the case: the app, the token, the answers to
    the category's questions, the media URLs (uploaded photos are the case's own photos).
    The reporter's contact details are not kept."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="open311")
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="submissions")
    # The client's Idempotency-Key when it sent one (so it can find its request again after
    # a lost answer, and a retry creates nothing), else a random one.
    token = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    attributes = models.JSONField(default=dict, blank=True)
    # GeoReport's single `media_url` is the first of `media_urls` (requests filed before
    # several were kept have only this one); `submission_media` writes both.
    media_url = models.URLField(max_length=500, blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "token"],
                                               name="submission_token_unique")]

    @property
    def all_media_urls(self) -> list[str]:
        return list(self.media_urls) or ([self.media_url] if self.media_url else [])


def submission_media(urls: list[str]) -> dict[str, object]:
    """The fields of a Submission that hold `urls`, in the order the app sent them."""
    return {"media_url": urls[0] if urls else "", "media_urls": list(urls)}


# The links to cases and case events below have no foreign-key constraint in the
# database: adding one locks the cases tables against writes until the migration
# commits (docs/operations.md, "What may lock"). The rows are written only by this app's
# services, next to the case or event they name, and cases are never deleted.


class UpdateSubmission(models.Model):
    """A citizen's update an app posted on a request (FixMyStreet's `POST
    servicerequestupdates`): the case event it became, the app, the app's own id for the
    update (`token`: a retry with the same one creates nothing) and its media URLs."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="open311_updates",
                             db_constraint=False)
    event = models.OneToOneField("cases.CaseEvent", on_delete=models.PROTECT,
                                 related_name="open311_update", db_constraint=False)
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="updates")
    token = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    media_urls = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "token"],
                                               name="update_token_unique")]


class PulledRequest(models.Model):
    """A request brought in from another GeoReport v2 server (`linli open311 pull`): the
    server and jurisdiction it came from and its id there, so pulling again is a no-op."""

    source = models.CharField(max_length=300)
    remote_id = models.CharField(max_length=100)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="open311_pulled",
                                db_constraint=False)
    pulled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "remote_id"],
                                               name="pulled_request_unique")]


class RateCount(models.Model):
    """How many requests a key made in one clock minute. Counted in the database, so every
    web process shares one count and the limit is exactly `ApiKey.rate_limit`."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    minute = models.BigIntegerField()  # minutes since the Unix epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "minute"],
                                               name="rate_count_key_minute")]
