"""Versions approved before sources, outlets and slugs were frozen with them: freeze them now, as
they stand (the best record there is of what the public read), so that the read model is built
from frozen copies only. New versions freeze their own at approval (claims.public.freeze)."""

from collections import defaultdict

from django.db import migrations


def _outlet(outlet):
    if outlet is None:
        return None
    return {"id": outlet.pk, "name": outlet.name, "kind": outlet.kind, "homepage": outlet.homepage}


def freeze(apps, schema_editor):
    ArticleVersion = apps.get_model("claims", "ArticleVersion")
    PublishedVersion = apps.get_model("claims", "PublishedVersion")
    PublishedEvidence = apps.get_model("claims", "PublishedEvidence")
    Source = apps.get_model("sources", "Source")
    SourceAncestor = apps.get_model("sources", "SourceAncestor")
    Provenance = apps.get_model("sources", "Provenance")
    for version in ArticleVersion.objects.select_related("article", "outlet"):
        ArticleVersion.objects.filter(pk=version.pk).update(
            slug=version.article.slug, frozen_outlet=_outlet(version.outlet)
        )
    cited = defaultdict(set)
    for version_id, source_id in PublishedEvidence.objects.values_list("version_id", "source_id"):
        cited[version_id].add(source_id)
    if not cited:
        return
    ancestry = defaultdict(dict)
    for s, a, d in SourceAncestor.objects.values_list("source_id", "ancestor_id", "depth"):
        ancestry[s][a] = d
    parents = defaultdict(list)
    for child, parent in Provenance.objects.order_by("source_id", "rests_on_id").values_list(
        "source_id", "rests_on_id"
    ):
        parents[child].append(parent)
    sources = {s.pk: s for s in Source.objects.select_related("outlet")}
    for version in PublishedVersion.objects.exclude(kind="withdrawal").filter(pk__in=cited):
        lineages = {s: ancestry.get(s) or {s: 0} for s in sorted(cited[version.pk])}
        every = sorted({a for lineage in lineages.values() for a in lineage})
        frozen = {
            "sources": {
                str(pk): {
                    "title": sources[pk].title,
                    "kind": sources[pk].kind,
                    "outlet": _outlet(sources[pk].outlet),
                    "author": sources[pk].author,
                    "url": sources[pk].url,
                    "archived_url": sources[pk].archived_url,
                    "published_on": sources[pk].published_on.isoformat()
                    if sources[pk].published_on
                    else None,
                    "on_record": sources[pk].on_record,
                    "derived_from": parents.get(pk, []),
                    "created_at": sources[pk].created_at.isoformat(),
                    "snapshot": None,
                }
                for pk in every
            },
            "ancestry": {
                str(s): {str(a): d for a, d in sorted(lineage.items())}
                for s, lineage in lineages.items()
            },
        }
        PublishedVersion.objects.filter(pk=version.pk).update(frozen_sources=frozen)


class Migration(migrations.Migration):
    dependencies = [("claims", "0017_public_read_model"), ("sources", "0005_source_snapshots")]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
