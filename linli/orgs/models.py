"""The org tree (district > street > community > grid > estate > building > entrance >
dwelling) and the handling units that serve its areas.

Every area carries a materialised `path` of its ancestors' ids ("/1/4/9/"), so "everything
under area X" is one indexed prefix match: the scope helper in `accounts.scope` relies on it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("district")
    STREET = "street", _("street")
    COMMUNITY = "community", _("community")
    GRID = "grid", _("grid")
    ESTATE = "estate", _("estate")
    BUILDING = "building", _("building")
    ENTRANCE = "entrance", _("entrance")
    DWELLING = "dwelling", _("dwelling")


# Each kind's rank in the tree; a child is always of a deeper kind than its parent.
KIND_ORDER = [k.value for k in AreaKind]
KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}
# Code length by kind: 6 admin division + 3 street + 3 community + 3 grid.
CODE_LENGTH = {"district": 6, "street": 9, "community": 12, "grid": 15}


class Area(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, blank=True, default="")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # Centre point for maps and the nearby-duplicates search; optional.
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    # A dwelling's floor area (专有部分面积, m²): owners' votes weigh by it (民法典 art. 278).
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=2,
                                     null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="area_code_unique"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="area_name_unique_in_parent"),
        ]
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self) -> models.QuerySet["Area"]:
        return Area.objects.filter(id__in=self.ancestor_ids).order_by("depth")

    def ancestor_of_kind(self, kind: str) -> "Area | None":
        if self.kind == kind:
            return self
        return self.ancestors().filter(kind=kind).first()

    def full_name(self) -> str:
        return " / ".join(a.name for a in self.ancestors())

    def is_within(self, other: "Area") -> bool:
        return self.path.startswith(other.path)


class UnitKind(models.TextChoices):
    PROPERTY = "property", _("property management")
    REPAIR = "repair", _("repairs")
    CLEANING = "cleaning", _("cleaning")
    URBAN_MANAGEMENT = "urban_management", _("urban management")
    POLICE = "police", _("police station")
    JUDICIAL = "judicial", _("judicial office")
    UTILITY = "utility", _("utility company")
    COMMUNITY_TEAM = "community_team", _("community team")
    HOSPITAL = "hospital", _("hospital")  # co-building units (共建单位) of party work
    SCHOOL = "school", _("school")
    OTHER = "other", _("other")


class Unit(models.Model):
    """A handling unit (处置单位): it receives dispatched cases in the areas it serves."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices)
    phone = models.CharField(_("duty phone"), max_length=32, blank=True)
    service_areas = models.ManyToManyField(
        Area, related_name="units", verbose_name=_("areas served"), blank=True
    )
    # The unit's supervisor receives overdue (督办) notices with the unit.
    supervisor_area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="supervised_units",
        verbose_name=_("supervising area"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
