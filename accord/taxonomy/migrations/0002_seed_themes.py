"""The OSCE's three dimensions, what spans them, and the themes of co-operation under each."""

from django.db import migrations
from django.utils import timezone

# (slug, name, dimension, [(slug, name), ...]) — names are in English and translated on display.
THEMES = [
    (
        "politico-military",
        "Politico-military dimension",
        "politico_military",
        [
            ("arms-control", "Arms control"),
            ("csbm", "Confidence- and security-building measures"),
            ("border-management", "Border security and management"),
            ("counter-terrorism", "Countering terrorism"),
            ("policing", "Policing"),
            ("security-sector-governance", "Security sector governance and reform"),
            ("cyber-security", "Cyber/ICT security"),
        ],
    ),
    (
        "economic-environmental",
        "Economic and environmental dimension",
        "economic_environmental",
        [
            ("economic-governance", "Economic governance"),
            ("anti-corruption", "Anti-corruption"),
            ("environment", "Environment and security"),
            ("energy-security", "Energy security"),
            ("migration", "Migration"),
        ],
    ),
    (
        "human",
        "Human dimension",
        "human",
        [
            ("elections", "Democratic elections"),
            ("human-rights", "Human rights"),
            ("rule-of-law", "Rule of law"),
            ("media-freedom", "Media freedom"),
            ("national-minorities", "National minorities"),
            ("tolerance", "Tolerance and non-discrimination"),
        ],
    ),
    (
        "cross-dimensional",
        "Cross-dimensional issues",
        "cross_dimensional",
        [
            ("good-governance", "Good governance"),
            ("early-warning-capacity", "Early warning capacity"),
            ("gender-equality", "Gender equality"),
            ("trafficking", "Combating trafficking in human beings"),
        ],
    ),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("taxonomy", "Theme")
    HistoricalTheme = apps.get_model("taxonomy", "HistoricalTheme")
    now = timezone.now()

    def make(slug, name, dimension, parent, order):
        theme, created = Theme.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "dimension": dimension, "parent": parent, "order": order},
        )
        if created:
            HistoricalTheme.objects.create(
                id=theme.pk,
                name=name,
                slug=slug,
                parent_id=parent.pk if parent else None,
                dimension=dimension,
                order=order,
                version=theme.version,
                created=theme.created,
                updated=theme.updated,
                history_date=now,
                history_type="+",
                history_change_reason="Seeded with the application",
            )
        return theme

    for root_order, (slug, name, dimension, children) in enumerate(THEMES, start=1):
        root = make(slug, name, dimension, None, root_order * 100)
        for order, (child_slug, child_name) in enumerate(children, start=1):
            make(child_slug, child_name, dimension, root, root_order * 100 + order)


def unseed(apps, schema_editor):
    Theme = apps.get_model("taxonomy", "Theme")
    for _slug, _name, _dimension, children in THEMES:
        Theme.objects.filter(slug__in=[slug for slug, _ in children]).delete()
    Theme.objects.filter(slug__in=[slug for slug, *_ in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
