from __future__ import annotations

from decimal import Decimal

import factory

from parklink.parks.choices import Deal, PriceUnit, SpaceKind, SpaceStatus
from parklink.parks.models import Building, Industry, Park, Space


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"产业{n}")


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试园区{n}")
    district = "昌平区"
    aliases = factory.LazyFunction(list)


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"{n}号楼")


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        skip_postgeneration_save = True

    ref = factory.Sequence(lambda n: f"SP{n:06d}")
    park = factory.SubFactory(ParkFactory)
    kind = SpaceKind.FACTORY
    deal = Deal.RENT
    area_m2 = Decimal("1500")
    price = Decimal("2.5")
    price_unit = PriceUnit.YUAN_M2_DAY
    status = SpaceStatus.FOR_RENT

    @factory.post_generation
    def derive(obj, create, extracted, **kwargs):  # keep unit_price consistent with clean()
        obj.unit_price = obj.compute_unit_price()
        if create:
            Space.objects.filter(pk=obj.pk).update(unit_price=obj.unit_price)
