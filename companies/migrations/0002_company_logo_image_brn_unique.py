# Company: logos validated as real images; business registration numbers unique when given.

import companies.validators
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='company',
            name='logo',
            field=models.ImageField(blank=True, upload_to='logos/', validators=[django.core.validators.FileExtensionValidator(['png', 'jpg', 'jpeg', 'gif', 'webp']), companies.validators.validate_logo_image], verbose_name='로고'),
        ),
        migrations.AddConstraint(
            model_name='company',
            constraint=models.UniqueConstraint(condition=models.Q(('business_registration_number', ''), _negated=True), fields=('business_registration_number',), name='company_unique_business_registration_number'),
        ),
    ]
