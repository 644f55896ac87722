"""Every write to the catalogue: categories, standards, routing rules and the portal's
groups (``catalogue``), a 小类's extra fields (``fields``) and the 立结案标准 workbook
(``workbook``, with its 附加字段 sheet in ``workbook_fields``)."""

from .catalogue import (
    category_create,
    category_update,
    public_group_delete,
    public_group_save,
    routing_rule_create,
    routing_rule_deactivate,
    standard_create,
    standard_update,
)
from .fields import category_field_delete, category_field_move, category_field_save
from .workbook import HEADERS, catalog_export, catalog_import, catalog_template

__all__ = [
    "HEADERS",
    "catalog_export",
    "catalog_import",
    "catalog_template",
    "category_create",
    "category_field_delete",
    "category_field_move",
    "category_field_save",
    "category_update",
    "public_group_delete",
    "public_group_save",
    "routing_rule_create",
    "routing_rule_deactivate",
    "standard_create",
    "standard_update",
]
