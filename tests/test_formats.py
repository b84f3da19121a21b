import datetime

from django.utils import formats, translation


def test_korean_date_shows_weekday():
    with translation.override("ko"):
        assert formats.date_format(datetime.date(2019, 12, 11)) == "2019년 12월 11일 (수)"
        assert formats.date_format(datetime.datetime(2019, 12, 11, 14, 0), "DATETIME_FORMAT") == (
            "2019년 12월 11일 (수) 14:00"
        )


def test_english_date_format():
    with translation.override("en"):
        assert formats.date_format(datetime.date(2019, 12, 11)) == "Wed, 11 December 2019"


def test_one_template_library_formats_dates_and_money_in_the_active_language():
    from django.template import Context, Template
    from django.utils import timezone

    template = Template("{% load formatting %}{{ when|kdatetime }} | {{ when|kdate }} | {{ amount|krw }}")
    when = timezone.make_aware(datetime.datetime(2019, 12, 11, 14, 0))
    context = Context({"when": when, "amount": 1_000_000})
    with translation.override("ko"):
        assert template.render(context) == "2019년 12월 11일 (수) 14:00 | 2019년 12월 11일 (수) | 1,000,000원"
    with translation.override("en"):
        assert template.render(context).endswith("| Wed, 11 December 2019 | KRW 1,000,000")
