"""The forgiving-search table: query → expected top result, on a small directory.

Used twice: ``test_search_table.py`` runs it on the suite's database (PostgreSQL), and runs this
file as a script against a fresh SQLite database (real migrations), so that both backends give
the same answers:

    DATABASE_URL=sqlite:///tmp/x.sqlite3 DJANGO_ENV=test python tests/companies/search_table.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# (name_ko, name_en, keywords, public)
DIRECTORY = [
    ("로보티즈", "Robotis", "로봇, 액추에이터, 다이나믹셀", True),
    ("로보", "Robo", "", True),
    ("마곡로보랩", "Magok Robo Lab", "드론", True),
    ("한빛전자", "Hanbit Electronics", "센서, 로보틱스 부품", True),
    ("웰스바이오", "Wells Bio", "체외진단, 바이오", True),
    ("바이오니아", "Bioneer", "분자진단", True),
    ("서울바이오텍", "Seoul Biotech", "의약품", True),
    ("바이로봇", "Byrobot", "교육, 코딩", True),
    ("LG전자", "LG Electronics", "가전, 인공지능, 마곡 R&D", True),
    ("LG사이언스파크", "LG Science Park", "연구개발", True),
    ("에쓰오일", "S-Oil", "정유, 윤활유", True),
    ("롯데중앙연구소", "Lotte R&D Center", "식품 연구", True),
    ("코비젼", "Covision", "광학, 렌즈", True),
    ("팜스빌", "Pharmsville", "건강기능식품", True),
    ("마곡R&D센터", "Magok R&D Center", "공동연구", True),
    ("닭가슴살랩", "Chicken Breast Lab", "식품", True),
    ("광명전기", "Kwangmyung Electric", "배전반", True),
    ("드론팩토리", "Drone Factory", "항공촬영", True),
    ("한국인공지능", "Korea Intelligence", "머신러닝", True),
    ("5G네트웍스", "5G Networks", "통신", True),
    ("씨앤씨", "C&C", "인쇄", True),
    ("숨은로봇", "Hidden Robot", "로봇", False),
]

ALIASES = [
    "엘지, LG",
    "에스오일, 에쓰오일, S-Oil",
    "롯데, Lotte",
    "로봇, robot",
    "바이오, bio",
    "인공지능, artificial intelligence",
]

# (query, expected top result's Korean name, kind)
CASES = [
    # Korean: whole names, prefixes, a syllable still being typed, spacing
    ("로보티즈", "로보티즈", "Korean, exact"),
    ("로보", "로보", "Korean, exact beats prefix"),
    ("로보티", "로보티즈", "Korean, prefix"),
    ("로보티ㅈ", "로보티즈", "Korean, syllable being typed"),
    ("로ㅂ", "로보", "Korean, syllable being typed"),
    ("롭", "로보", "Korean, final consonant is the next initial"),
    ("로보 티즈", "로보티즈", "Korean, spacing"),
    ("  로보티즈  ", "로보티즈", "Korean, surrounding spaces"),
    ("웰스", "웰스바이오", "Korean, prefix"),
    ("바이오", "바이오니아", "Korean, prefix beats contains"),
    ("바이", "바이로봇", "Korean, 2 syllables, prefix then name order"),
    ("바이오니", "바이오니아", "Korean, prefix"),
    ("서울바", "서울바이오텍", "Korean, prefix"),
    ("달", "닭가슴살랩", "Korean, compound final being typed (달 → 닭)"),
    ("고", "광명전기", "Korean, compound vowel being typed (고 → 광)"),
    ("마곡로보", "마곡로보랩", "Korean, prefix"),
    ("마곡 로보", "마곡로보랩", "Korean, spacing"),
    # keywords
    ("다이나믹셀", "로보티즈", "keyword"),
    ("체외진단", "웰스바이오", "keyword"),
    ("분자", "바이오니아", "keyword, 2 syllables"),
    ("항공", "드론팩토리", "keyword, 2 syllables"),
    # punctuation and mixed scripts
    ("마곡", "마곡R&D센터", "mixed, prefix then name order"),
    ("마곡R&D", "마곡R&D센터", "mixed, punctuation"),
    ("마곡 R&D", "마곡R&D센터", "mixed, spacing and punctuation"),
    ("마곡rd", "마곡R&D센터", "mixed, no punctuation"),
    ("lgㅈㅈ", "LG전자", "mixed, Latin and 초성"),
    ("LG전자", "LG전자", "mixed, exact"),
    ("lg 전자", "LG전자", "mixed, spacing"),
    # English
    ("robotis", "로보티즈", "English, exact"),
    ("ROBOTIS", "로보티즈", "English, case"),
    ("robo", "로보", "English, exact beats prefix"),
    ("wells b", "웰스바이오", "English, prefix with space"),
    ("science park", "LG사이언스파크", "English, contains"),
    ("s-oil", "에쓰오일", "English, punctuation"),
    ("soil", "에쓰오일", "English, without punctuation"),
    ("c&c", "씨앤씨", "English, punctuation"),
    ("5g", "5G네트웍스", "English, 2 characters"),
    ("lg", "LG사이언스파크", "English, 2 letters, name order"),
    # aliases and English keywords
    ("엘지", "LG사이언스파크", "alias, prefix"),
    ("엘지전자", "LG전자", "alias, exact"),
    ("에스오일", "에쓰오일", "alias, exact"),
    ("롯데", "롯데중앙연구소", "alias, prefix"),
    ("lotte", "롯데중앙연구소", "alias, English prefix"),
    ("robot", "로보티즈", "English keyword next to 로봇"),
    ("로봇", "로보티즈", "Korean keyword, English name through the alias"),
    ("bio", "바이오니아", "English keyword next to 바이오"),
    ("artificial intelligence", "한국인공지능", "alias in a name"),
    # 초성
    ("ㄹㅂㅌㅈ", "로보티즈", "초성, exact"),
    ("ㄹㅂ", "로보", "초성, exact beats prefix"),
    ("ㅇㅅㅂㅇㅇ", "웰스바이오", "초성, exact"),
    ("ㅋㅂㅈ", "코비젼", "초성, exact"),
    ("ㄷㄹㅍ", "드론팩토리", "초성, prefix"),
    ("ㄹ", "로보", "초성, one consonant"),
    # one syllable
    ("웰", "웰스바이오", "1 syllable"),
    ("코", "코비젼", "1 syllable"),
    ("팜", "팜스빌", "1 syllable"),
    ("씨", "씨앤씨", "1 syllable"),
    ("롯", "롯데중앙연구소", "1 syllable"),
    # typos: near spellings (rank last, the "did you mean")
    ("로보티스", "로보티즈", "typo, Korean"),
    ("웰스바이어", "웰스바이오", "typo, Korean"),
    ("팜즈빌", "팜스빌", "typo, Korean"),
    ("Covison", "코비젼", "typo, English"),
    ("robotiz", "로보티즈", "typo, English"),
    ("Pharmsvile", "팜스빌", "typo, English"),
]


def build_directory() -> None:
    from companies.models import Company, SearchAlias

    for terms in ALIASES:
        SearchAlias.objects.create(terms=terms)
    for index, (name_ko, name_en, keywords, public) in enumerate(DIRECTORY):
        Company.objects.create(
            name_ko=name_ko,
            name_en=name_en,
            keywords=keywords,
            slug=f"table-{index}",
            size_class=Company.SizeClass.SME,
            is_public=public,
        )


def top_results() -> dict[str, str | None]:
    """Each query's top result (Korean name), or None."""
    from companies.selectors import company_search

    tops = {}
    for query, _expected, _kind in CASES:
        first = company_search(query=query).first()
        tops[query] = first.name_ko if first else None
    return tops


def failures(tops: dict[str, str | None]) -> list[str]:
    return [
        f"{query!r} ({kind}): expected {expected}, got {tops[query]}"
        for query, expected, kind in CASES
        if tops[query] != expected
    ]


def main() -> int:
    """Migrate the (SQLite) database of DATABASE_URL, build the directory, check the table."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "companies", verbosity=0)  # and what it depends on
    build_directory()
    failed = failures(top_results())
    for line in failed:
        print(f"FAIL {line}")
    print(f"{connection.vendor}: {len(CASES) - len(failed)} of {len(CASES)} cases pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
