"""Recompute Lead.company_key with the folding duplicate key (region prefix, legal form,
brackets, traditional script and pinyin folded: parklink.zh.company)."""

from django.db import migrations


def recompute(apps, schema_editor):
    from parklink.zh.company import company_key

    Lead = apps.get_model("leads", "Lead")
    batch = []
    for lead in Lead.objects.only("pk", "company", "company_key").iterator(chunk_size=2000):
        key = company_key(lead.company)
        if key != lead.company_key:
            lead.company_key = key
            batch.append(lead)
        if len(batch) >= 2000:
            Lead.objects.bulk_update(batch, ["company_key"])
            batch = []
    if batch:
        Lead.objects.bulk_update(batch, ["company_key"])


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_refs_spool_key_merges_foreign_mobiles")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
