"""Korean particles chosen from the word (magok.particles and the josa/particle_for filters)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from magok.particles import particle, with_particle


@pytest.mark.parametrize(
    ("word", "particle_name", "expected"),
    [
        # Hangul: a final consonant or not; ㄹ takes 로.
        ("로보티즈", "은/는", "로보티즈는"),
        ("팜스빌", "은(는)", "팜스빌은"),
        ("코오롱", "이/가", "코오롱이"),
        ("디지캡", "을/를", "디지캡을"),
        ("웰스바이오", "과/와", "웰스바이오와"),
        ("서울", "(으)로", "서울로"),
        ("본관", "(으)로", "본관으로"),
        ("선정", "으로", "선정으로"),
        ("마곡산업단지", "로", "마곡산업단지로"),
        ("보완 요청", "(으)로", "보완 요청으로"),
        ("접수", "(으)로", "접수로"),
        ("선정됨", "이에요/예요", "선정됨이에요"),
        # Digits by their Korean reading.
        ("1", "은/는", "1은"),
        ("2", "은/는", "2는"),
        ("3", "이/가", "3이"),
        ("7", "(으)로", "7로"),
        ("10", "은/는", "10은"),
        ("2027", "을/를", "2027을"),
        ("2019", "는", "2019는"),
        # Upper-case abbreviations letter by letter, other Latin words by their sound.
        ("LG", "은/는", "LG는"),
        ("SBA", "이/가", "SBA가"),
        ("IBM", "은/는", "IBM은"),
        ("R&D", "을/를", "R&D를"),
        ("KOL", "(으)로", "KOL로"),
        ("Kolon", "은/는", "Kolon은"),
        ("S-Oil", "(으)로", "S-Oil로"),
        ("Robotis", "은/는", "Robotis는"),
        ("Lotte", "이/가", "Lotte가"),
        ("Robot", "을/를", "Robot을"),
        # Brackets and punctuation at the end are skipped.
        ("「마곡 테크콘서트」", "은/는", "「마곡 테크콘서트」는"),
        ("로보티즈(주)", "이/가", "로보티즈(주)가"),
        ("FITI시험연구원", "은/는", "FITI시험연구원은"),
    ],
)
def test_particle_follows_the_last_sound(word: str, particle_name: str, expected: str) -> None:
    assert with_particle(word, particle_name) == expected


def test_any_spelling_of_a_particle_names_the_same_pair() -> None:
    for spelling in ("은/는", "은(는)", "는(은)", "은", "는", "는/은"):
        assert particle("로보티즈", spelling) == "는"
        assert particle("팜스빌", spelling) == "은"
    for spelling in ("(으)로", "으로", "로", "으로/로"):
        assert particle("본관", spelling) == "으로"


def test_unknown_particle_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError):
        particle("로보티즈", "번")


def test_nothing_readable_gets_the_vowel_form() -> None:
    assert with_particle("", "은/는") == "는"
    assert with_particle("★", "(으)로") == "★로"


def test_template_filters_leave_other_languages_alone() -> None:
    template = Template('{% load formatting %}{{ a|josa:"은/는" }} [{{ a|particle_for:"은/는" }}]')
    with translation.override("en"):
        assert template.render(Context({"a": "Robotis"})) == "Robotis []"


def test_template_filters_choose_and_escape() -> None:
    template = Template(
        '{% load formatting %}{{ a|josa:"은/는" }} {{ b|josa:"(으)로" }} '
        '{{ c }}{{ c|particle_for:"이/가" }} {{ d|josa:"은/는" }}'
    )
    with translation.override("ko"):
        rendered = template.render(Context({"a": "팜스빌", "b": "선정", "c": "SBA", "d": "<b>LG</b>"}))
    assert rendered == "팜스빌은 선정으로 SBA가 &lt;b&gt;LG&lt;/b&gt;는"
