# Publication controls on cases; supervision orders tied to the dispatch they concern and
# closable with their case. The new unique rule comes in 0006, after 0005 fills the data.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_assessment_indexes'),
        ('org', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='supervision',
            name='supervision_overdue_once',
        ),
        migrations.AddField(
            model_name='case',
            name='public_text',
            field=models.TextField(blank=True, verbose_name='公开描述'),
        ),
        migrations.AddField(
            model_name='case',
            name='publicity',
            field=models.CharField(choices=[('auto', '按渠道默认'), ('public', '公开'), ('hidden', '不公开')], default='auto', max_length=8, verbose_name='公开'),
        ),
        migrations.AddField(
            model_name='supervision',
            name='dispatched_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='派遣时间'),
        ),
        migrations.AddField(
            model_name='supervision',
            name='settled_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='随案关闭时间'),
        ),
        migrations.AddField(
            model_name='supervision',
            name='settled_reason',
            field=models.CharField(blank=True, max_length=40, verbose_name='关闭原因'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='action',
            field=models.CharField(choices=[('report', '上报'), ('accept', '受理立案'), ('reject', '不予受理'), ('dispatch', '派遣'), ('sign', '签收'), ('send_back', '回退'), ('finish', '处置完成'), ('postpone', '申请延期'), ('postpone_approve', '批准延期'), ('postpone_reject', '驳回延期'), ('verify_ok', '核查通过'), ('verify_fail', '核查不通过'), ('reopen', '重新立案'), ('cancel', '作废'), ('supervise', '督办'), ('answer', '督办回复'), ('accountability', '问责'), ('merge', '合并重复案件'), ('rate', '满意度评价'), ('reopen_request', '申请重新办理'), ('reopen_refuse', '驳回重新办理申请'), ('publicity', '公开设置')], max_length=20, verbose_name='动作'),
        ),
        migrations.AlterField(
            model_name='supervision',
            name='status',
            field=models.CharField(choices=[('open', '待回复'), ('answered', '已回复'), ('settled', '随案关闭')], default='open', max_length=10, verbose_name='状态'),
        ),
    ]
