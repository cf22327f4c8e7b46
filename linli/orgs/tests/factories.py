import factory

from linli.orgs.models import Area, Unit, UnitKind
from linli.orgs.services import area_insert


def make_area(kind: str, name: str, parent: Area | None = None, code: str = "") -> Area:
    return area_insert(kind=kind, name=name, parent=parent, code=code)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"处置单位{n}")
    kind = UnitKind.PROPERTY

    @factory.post_generation
    def service_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_areas.set(extracted)
