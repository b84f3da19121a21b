from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_account_deletion'),
    ]

    operations = [
        migrations.AddField(
            model_name='signuprequest',
            name='next_url',
            field=models.CharField(blank=True, max_length=300, verbose_name='가입 후 이동할 주소'),
        ),
    ]
