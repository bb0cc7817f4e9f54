from campaigns.models import CampaignIndexPage, CampaignPage, Channel
from campaigns.services import campaign_index_ensure


def campaign_index() -> CampaignIndexPage:
    return campaign_index_ensure()


def campaign_create(
    *, title_de: str = "Neu in Deutschland?", slug: str = "neu-in-deutschland", **fields
) -> CampaignPage:
    campaign = CampaignPage(
        title=title_de,
        title_de=title_de,
        slug=slug,
        slug_de=slug,
        message_de=fields.pop("message_de", "<p>Wir beraten dich – kostenlos und anonym.</p>"),
        **fields,
    )
    campaign_index().add_child(instance=campaign)
    return campaign


def channel_create(
    campaign: CampaignPage, *, kind: str = "poster", name: str = "Plakat U-Bahn", **fields
) -> Channel:
    return Channel.objects.create(campaign=campaign, kind=kind, name=name, **fields)
