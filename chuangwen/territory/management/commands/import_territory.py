import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chuangwen.core.errors import ServiceError
from chuangwen.territory.choices import Level, NodeKind
from chuangwen.territory.services import TerritoryImportError, territory_import_features


class Command(BaseCommand):
    help = "Import territory nodes of one level from a GeoJSON FeatureCollection (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--level", required=True, choices=Level.values)
        parser.add_argument("--code-field", required=True, help="property holding the node code")
        parser.add_argument("--name-field", required=True, help="property holding the node name")
        parser.add_argument("--parent-field", help="property holding the parent's code")
        parser.add_argument(
            "--parent", help="parent code for every feature (instead of --parent-field)"
        )
        parser.add_argument("--kind", default=NodeKind.ADMINISTRATIVE, choices=NodeKind.values)

    def handle(
        self,
        *args,
        file: Path,
        level,
        code_field,
        name_field,
        parent_field,
        parent,
        kind,
        **options,
    ):
        if parent_field and parent:
            raise CommandError("--parent-field and --parent exclude each other")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        features = data.get("features") if isinstance(data, dict) else None
        if not isinstance(features, list):
            raise CommandError(f"{file} is not a GeoJSON FeatureCollection")
        try:
            report = territory_import_features(
                features=features,
                level=level,
                code_field=code_field,
                name_field=name_field,
                parent_field=parent_field,
                parent_code=parent,
                kind=kind,
                actor=None,
            )
        except TerritoryImportError as exc:
            for line in exc.report.lines()[1:]:
                self.stderr.write(line)
            raise CommandError(exc.message) from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
