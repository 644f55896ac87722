"""The catalogue becomes its own app. Its tables stay where they are (``cases_category``,
``cases_casestandard``, ``cases_routingrule``, ``participation_publicgroup`` and its link
table): this migration only tells Django that the models now belong to ``catalog``, and
moves their content types so permissions and anything else keyed by content type follow.
``cases``, ``participation`` and ``evaluation`` then drop the old models from their state
and point their foreign keys here, without touching the database either."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = (
    ("cases", "category"),
    ("cases", "casestandard"),
    ("cases", "routingrule"),
    ("participation", "publicgroup"),
)


def _relabel(apps, *, forward: bool) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_label, model in MOVED:
        source, target = (old_label, "catalog") if forward else ("catalog", old_label)
        if content_type.objects.filter(app_label=target, model=model).exists():
            # Already there (created by an earlier run): the one under the old label is
            # left for ``remove_stale_contenttypes``.
            continue
        content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_forward(apps, schema_editor):
    _relabel(apps, forward=True)


def content_types_backward(apps, schema_editor):
    _relabel(apps, forward=False)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0006_supervision_overdue_once_per_dispatch'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('org', '0002_initial'),
        ('participation', '0001_initial'),
        ('territory', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Category',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('kind', models.CharField(choices=[('B', '部件'), ('E', '事件'), ('W', '文明城市')], max_length=1, verbose_name='类别')),
                        ('code', models.CharField(max_length=8, unique=True, verbose_name='编码')),
                        ('name', models.CharField(max_length=60, verbose_name='名称')),
                        ('description', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                        ('duplicate_radius_m', models.PositiveIntegerField(default=50, verbose_name='重复判定半径(米)')),
                        ('duplicate_window_days', models.PositiveIntegerField(default=7, verbose_name='重复判定时间窗(天)')),
                        ('extra_fields', models.JSONField(blank=True, default=list, verbose_name='附加字段')),
                        ('position', models.PositiveIntegerField(default=0, verbose_name='排序')),
                        ('is_active', models.BooleanField(default=True, verbose_name='有效')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='catalog.category', verbose_name='大类')),
                    ],
                    options={
                        'verbose_name': '案件类别',
                        'verbose_name_plural': '案件类别',
                        'db_table': 'cases_category',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='PublicGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=30, unique=True, verbose_name='分组名称')),
                        ('hint', models.CharField(blank=True, max_length=100, verbose_name='提示')),
                        ('position', models.PositiveIntegerField(default=0, verbose_name='排序')),
                        ('categories', models.ManyToManyField(blank=True, db_table='participation_publicgroup_categories', limit_choices_to={'parent__isnull': False}, related_name='public_groups', to='catalog.category', verbose_name='包含的小类')),
                    ],
                    options={
                        'verbose_name': '随手拍问题分组',
                        'verbose_name_plural': '随手拍问题分组',
                        'db_table': 'participation_publicgroup',
                        'ordering': ['position', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='CaseStandard',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('code', models.CharField(max_length=12, unique=True, verbose_name='编码')),
                        ('condition', models.CharField(max_length=300, verbose_name='立案条件')),
                        ('time_type', models.CharField(choices=[('emergency_hours', '紧急工时(连续计时)'), ('work_hours', '工作时'), ('work_days', '工作日'), ('natural_days', '自然日')], max_length=20, verbose_name='时限类型')),
                        ('time_value', models.DecimalField(decimal_places=1, max_digits=6, verbose_name='处置时限')),
                        ('close_condition', models.CharField(max_length=300, verbose_name='结案条件')),
                        ('unit_kind', models.CharField(blank=True, choices=[('city_office', '市创文办'), ('department', '市直部门'), ('enterprise', '企业/公用事业单位'), ('district_gov', '区县政府/管委会'), ('street_office', '街道办事处/乡镇政府'), ('community', '社区居委会/村委会'), ('point_owner', '点位责任单位'), ('volunteer_org', '志愿服务组织')], max_length=20, verbose_name='责任单位类型')),
                        ('position', models.PositiveIntegerField(default=0, verbose_name='排序')),
                        ('is_active', models.BooleanField(default=True, verbose_name='有效')),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='standards', to='catalog.category', verbose_name='小类')),
                    ],
                    options={
                        'verbose_name': '立结案标准',
                        'verbose_name_plural': '立结案标准',
                        'db_table': 'cases_casestandard',
                        'ordering': ['category__code', 'position', 'code'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('time_value__gte', 0)), name='standard_limit_positive')],
                    },
                ),
                migrations.CreateModel(
                    name='RoutingRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('auto_dispatch', models.BooleanField(default=True, verbose_name='自动派遣')),
                        ('is_active', models.BooleanField(default=True, verbose_name='有效')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                        ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='routing_rules', to='catalog.category', verbose_name='类别')),
                        ('territory', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='routing_rules', to='territory.territorynode', verbose_name='属地')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='责任单位')),
                    ],
                    options={
                        'verbose_name': '派遣规则',
                        'verbose_name_plural': '派遣规则',
                        'db_table': 'cases_routingrule',
                        'constraints': [models.CheckConstraint(condition=models.Q(('category__isnull', False), ('territory__isnull', False), _connector='OR'), name='routing_rule_has_scope'), models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('category', 'territory'), name='routing_rule_unique_active')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
