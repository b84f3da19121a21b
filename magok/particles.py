"""Korean particles (조사) chosen from the word they follow, never "은(는)" or "(으)로".

A particle's form depends on whether the word's last syllable ends in a consonant (받침):
로보티즈**는**, 팜스빌**은**; 서울**로** (ㄹ takes 로), 마곡산업단지**로**, 본관**으로**. The word may end in
something that is not Hangul; it is read as a Korean speaker reads it:

* digits by their Korean reading: 1 일, 3 삼, 6 육, 10 십, 100 백, 1000 천, 10000 만
  (``3번은``, ``2027년``, ``10은``, ``2는``);
* an upper-case abbreviation letter by letter: ``LG는`` (지), ``SBA는`` (에이), ``R&D는`` (디),
  but ``IBM은`` (엠), ``Gangseo-gu``, ``KOL은`` (엘);
* another Latin word by its spelling's usual Korean sound: a final m, n, ng, l or a short
  vowel before k/p/t ends in a consonant (``Kolon은``, ``S-Oil은``, ``Robot은``), other endings
  do not (``Robotis는``, ``Lotte는``, ``Center는``).

Trailing punctuation and brackets are skipped (``「행사」는``, ``로보티즈(주)는``). A word with no
readable ending gets the form written after a vowel, the more common reading of symbols.
"""

from __future__ import annotations

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
NO_FINAL, RIEUL = 0, 8  # jongseong indexes: none, ㄹ
# A consonant ending that is not ㄹ; the particle only needs "none", "ㄹ" or "another".
OTHER = 1

# (after a consonant, after a vowel): any spelling of either half, or the combined forms,
# names the pair.
PAIRS: tuple[tuple[str, str], ...] = (
    ("은", "는"),
    ("이", "가"),
    ("을", "를"),
    ("과", "와"),
    ("아", "야"),
    ("이랑", "랑"),
    ("이나", "나"),
    ("이나마", "나마"),
    ("이며", "며"),
    ("이라", "라"),
    ("이라고", "라고"),
    ("이라는", "라는"),
    ("이란", "란"),
    ("이야", "야"),
    ("이에요", "예요"),
    ("이었다", "였다"),
    ("이든", "든"),
    ("이여", "여"),
    ("으로", "로"),
    ("으로서", "로서"),
    ("으로써", "로써"),
    ("으로부터", "로부터"),
)
# 으로 and its family: a word ending in ㄹ takes the vowel form (서울로, 호텔로).
RIEUL_TAKES_VOWEL_FORM = {"으로", "으로서", "으로써", "으로부터"}

_DIGIT_FINAL = {"0": OTHER, "1": RIEUL, "2": NO_FINAL, "3": OTHER, "4": NO_FINAL,
                "5": NO_FINAL, "6": OTHER, "7": RIEUL, "8": RIEUL, "9": NO_FINAL}  # fmt: skip
# 십 백 천 만 (a number ending in zeros is read by its largest round unit).
_ROUND_FINAL = {1: OTHER, 2: OTHER, 3: OTHER}
# Letter names: 엘 and 알 end in ㄹ, 엠 and 엔 in another consonant, the rest in a vowel.
_LETTER_FINAL = {"L": RIEUL, "R": RIEUL, "M": OTHER, "N": OTHER}
_VOWELS = set("aeiouy")


def _pair(particle: str) -> tuple[str, str]:
    cleaned = particle.replace("(", "/").replace(")", "").strip("/ ")
    forms = [form for form in cleaned.split("/") if form]
    for pair in PAIRS:
        if any(form in pair for form in forms):
            return pair
    raise ValueError(f"unknown particle {particle!r}")


def _latin_final(word: str) -> int:
    letters = "".join(ch for ch in word if ch.isascii() and ch.isalpha())
    if letters.isupper() or len(letters) == 1:
        return _LETTER_FINAL.get(letters[-1].upper(), NO_FINAL)
    lower = letters.lower()
    last = lower[-1]
    if last == "l":
        return RIEUL
    if last in "mn" or lower.endswith("ng"):
        return OTHER
    if last in "kpt" and len(lower) >= 2 and lower[-2] in _VOWELS and not lower.endswith(("ee", "oo")):
        return OTHER  # robot 로봇, book 북, tip 팁
    if lower.endswith("ck"):
        return OTHER
    return NO_FINAL


def _number_final(digits: str) -> int:
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped)
    if not stripped:
        return OTHER  # 영
    if zeros == 0:
        return _DIGIT_FINAL[digits[-1]]
    return _ROUND_FINAL.get(zeros, OTHER)  # 십, 백, 천; 만, 억 and 조 end in a consonant too


def final_consonant(word: str) -> int | None:
    """The last readable sound of ``word``: 0 (a vowel), 8 (ㄹ), another positive number (a
    consonant), or None (nothing readable)."""
    text = str(word).rstrip()
    while text and not text[-1].isalnum():
        text = text[:-1]
    if not text:
        return None
    last = text[-1]
    code = ord(last)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        return (code - HANGUL_FIRST) % 28
    if last.isdigit() and last.isascii():
        end = len(text)
        start = end
        while start > 0 and text[start - 1].isdigit() and text[start - 1].isascii():
            start -= 1
        return _number_final(text[start:end])
    if last.isascii() and last.isalpha():
        start = len(text)
        while start > 0 and (text[start - 1].isascii() and (text[start - 1].isalpha() or text[start - 1] in "&-.")):
            start -= 1
        return _latin_final(text[start:])
    return None


def particle(word: object, particle: str) -> str:
    """The form of ``particle`` (any spelling: "은/는", "는", "은(는)", "(으)로", "로") that
    follows ``word``."""
    with_consonant, with_vowel = _pair(particle)
    final = final_consonant(str(word))
    if final is None or final == NO_FINAL:
        return with_vowel
    if final == RIEUL and with_consonant in RIEUL_TAKES_VOWEL_FORM:
        return with_vowel
    return with_consonant


def with_particle(word: object, particle_name: str) -> str:
    """``word`` followed by the right form of the particle: ``with_particle("로보티즈", "은/는")``
    is "로보티즈는"."""
    return f"{word}{particle(word, particle_name)}"
