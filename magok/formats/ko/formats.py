# Korean dates as a Korean reader expects them: 2019년 12월 11일 (수) 14:00
DATE_FORMAT = "Y년 n월 j일 (D)"
DATETIME_FORMAT = "Y년 n월 j일 (D) H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일 (D)"
SHORT_DATE_FORMAT = "Y.m.d."
SHORT_DATETIME_FORMAT = "Y.m.d. H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday, as on Korean calendars
