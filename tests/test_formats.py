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
