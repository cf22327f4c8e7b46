"""The demo's providers: the twenty by name, written through the services (audited), the
skilled residents with consent (one online, the others on paper), the partners'
contributions in every mode, one voided and not counted."""

import pytest

from linli.core.models import AuditEntry
from linli.library.demo_providers import ORGANISATIONS, SKILLED
from linli.library.models import Contribution, Mode, Provider
from linli.library.selectors_providers import provider_record


@pytest.mark.django_db
def test_demo_providers(demo):
    names = set(Provider.objects.values_list("name", flat=True))
    assert {row[0] for row in ORGANISATIONS} <= names
    assert Provider.objects.count() == len(ORGANISATIONS) + len(SKILLED)
    people = Provider.objects.filter(kind="skilled")
    assert all(p.consent_at and p.phone == "" for p in people)
    assert set(people.values_list("consent_via", flat=True)) == {"self", "paper"}
    assert people.filter(resident__user__username="volunteer", consent_via="self").exists()
    assert set(Contribution.objects.values_list("mode", flat=True)) == set(Mode.values)
    hospital = Provider.objects.get(name="武汉市第一医院")
    assert {t[0] for t in provider_record(hospital).totals} == {"hours", "money"}
    shop = provider_record(Provider.objects.get(name="爱家超市"))
    assert any(c.voided_at for c in shop.contributions)
    assert dict((t[0], t[2]) for t in shop.totals)["goods"] == 170
    assert AuditEntry.objects.filter(action="provider.create").count() == len(ORGANISATIONS)
