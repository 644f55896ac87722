from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.core.models import TimeStampedModel
from chuangwen.core.scoping import ActionScope, ScopedQuerySet, path_q

from .choices import LandUse, Level, ManagementLevel, NodeKind


def chain_link(label):
    """A link to one node of a record's territory chain (its grid, community, street or
    district), kept as it was when the record was made."""
    return models.ForeignKey(
        "territory.TerritoryNode",
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class TerritoryNode(TimeStampedModel):
    """A node of the territory tree: city, district, street, community or unit grid.

    ``path`` is the chain of codes from the root, each followed by "/", so a subtree is
    a prefix match. Geometry is a WGS84 GeoJSON geometry (Polygon or MultiPolygon); the
    bounding box and centroid are derived from it by the services.
    """

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(
        _("类型"), max_length=16, choices=NodeKind.choices, default=NodeKind.ADMINISTRATIVE
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True)
    geometry = models.JSONField(_("边界(GeoJSON)"), null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    centroid_lng = models.FloatField(_("中心经度"), null=True, blank=True)
    centroid_lat = models.FloatField(_("中心纬度"), null=True, blank=True)
    area_km2 = models.FloatField(_("面积(平方公里)"), null=True, blank=True)
    land_use = models.CharField(_("用地类型"), max_length=16, choices=LandUse.choices, blank=True)
    management_level = models.CharField(
        _("管理等级"), max_length=2, choices=ManagementLevel.choices, blank=True
    )
    owner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("责任主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_grids",
        help_text=_("为空时由所在社区兜底(属地兜底)"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("属地节点")
        verbose_name_plural = _("属地节点")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return path_q("path", scope.paths)

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c][:-1]


class TerritoryState(models.Model):
    """A single counter bumped by every territory write; routing indexes compare it."""

    version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("属地版本")
        verbose_name_plural = _("属地版本")

    def __str__(self) -> str:
        return f"v{self.version}"
