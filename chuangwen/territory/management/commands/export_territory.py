import json
import sys

from django.core.management.base import BaseCommand, CommandError

from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.selectors import feature_collection


class Command(BaseCommand):
    help = "Export a territory subtree (optionally one level of it) as GeoJSON to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("--root", help="code of the subtree root (default: the whole city)")
        parser.add_argument("--level", choices=Level.values)
        parser.add_argument("--output", "-o", help="file to write (default: stdout)")

    def handle(self, *args, root=None, level=None, output=None, **options):
        nodes = TerritoryNode.objects.select_related("owner_unit").order_by("path")
        if root:
            path = TerritoryNode.objects.filter(code=root).values_list("path", flat=True).first()
            if path is None:
                raise CommandError(f"no territory node with code {root}")
            nodes = nodes.filter(path__startswith=path)
        if level:
            nodes = nodes.filter(level=level)
        text = json.dumps(feature_collection(nodes), ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"wrote {nodes.count()} features to {output}")
        else:
            sys.stdout.write(text + "\n")
