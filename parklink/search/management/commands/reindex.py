"""`parklink reindex`: rebuild the full-text index from the catalogue and the news."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from parklink.search.services import search_document_count_expected, search_reindex


class Command(BaseCommand):
    help = "重建全文索引 / rebuild the full-text search index"

    def handle(self, *args, **options) -> None:
        total = search_document_count_expected()
        with tqdm(total=total, unit="doc", file=sys.stderr, disable=total < 1000) as bar:
            count = search_reindex(progress=bar.update)
        self.stdout.write(f"已索引 {count} 条 / indexed {count} documents")
