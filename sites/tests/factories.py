import factory

from sites.models import ProviderGroup, Site


class ProviderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderGroup
        django_get_or_create = ("short_name",)

    short_name = "AWO"
    name = "Arbeiterwohlfahrt Bundesverband e. V."


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"JMD Teststandort {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    provider_group = factory.SubFactory(ProviderGroupFactory)
    street = "Hauptstraße 1"
    postcode = "10115"
    town = "Berlin"
    federal_state = "BE"
    latitude = "52.520000"
    longitude = "13.405000"
    description_de = "Beratung für junge Menschen."
