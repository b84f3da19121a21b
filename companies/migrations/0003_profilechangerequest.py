# Profile changes proposed by a company's representative, published after SBA approval.

import companies.validators
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0002_company_logo_image_brn_unique'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProfileChangeRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('data', models.JSONField(default=dict, verbose_name='변경 내용')),
                ('logo', models.ImageField(blank=True, upload_to='logos/pending/', validators=[django.core.validators.FileExtensionValidator(['png', 'jpg', 'jpeg', 'gif', 'webp']), companies.validators.validate_logo_image], verbose_name='새 로고')),
                ('remove_logo', models.BooleanField(default=False, verbose_name='로고 삭제')),
                ('status', models.CharField(choices=[('pending', '승인 대기'), ('approved', '승인'), ('rejected', '반려')], default='pending', max_length=20, verbose_name='상태')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='검토 일시')),
                ('note', models.TextField(blank=True, verbose_name='검토 의견')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='요청 일시')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='수정 일시')),
            ],
            options={
                'verbose_name': '기업정보 변경 요청',
                'verbose_name_plural': '기업정보 변경 요청',
                'ordering': ['-created_at'],
            },
        ),
        migrations.AddField(
            model_name='profilechangerequest',
            name='company',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='change_requests', to='companies.company', verbose_name='기업'),
        ),
        migrations.AddField(
            model_name='profilechangerequest',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='검토자'),
        ),
        migrations.AddField(
            model_name='profilechangerequest',
            name='submitted_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='요청자'),
        ),
        migrations.AddConstraint(
            model_name='profilechangerequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('company',), name='change_request_one_pending_per_company'),
        ),
    ]
