from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    """Fill the search column of rows that exist already (save() keeps it from now on)."""
    from accord.registry.names import country_search_text, organization_search_text

    Country = apps.get_model("registry", "Country")
    Organization = apps.get_model("registry", "Organization")
    countries = list(Country.objects.all())
    for country in countries:
        country.search_text = country_search_text(country)
    Country.objects.bulk_update(countries, ["search_text"], batch_size=500)
    organizations = list(Organization.objects.all())
    for organization in organizations:
        organization.search_text = organization_search_text(organization)
    Organization.objects.bulk_update(organizations, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_organization_acronym_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="country",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search names"
            ),
        ),
        migrations.AddField(
            model_name="country",
            name="fact_sources",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="fact sources"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search names"
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
