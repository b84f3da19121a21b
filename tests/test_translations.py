"""Every English catalog is complete and compiled, and the site speaks Korean first, English on request."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


def _catalogs() -> list[Path]:
    found = [BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    found += sorted(BASE_DIR.glob("*/locale/en/LC_MESSAGES/django.po"))
    return [path for path in found if path.exists() and not path.relative_to(BASE_DIR).parts[0].startswith(".")]


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False
    line: int = 0


def _parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (obsolete #~ entries are skipped)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry.line:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if entry.line:
                finish()
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            if entry.line:
                finish()
            entry.msgctxt = ast.literal_eval(line[len("msgctxt ") :])
            target = ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural = ast.literal_eval(line[len("msgid_plural ") :])
            target = ("msgid_plural", 0)
        elif line.startswith("msgid "):
            if entry.line:
                finish()
            entry.line = number
            entry.msgid = ast.literal_eval(line[len("msgid ") :])
            target = ("msgid", 0)
        elif line.startswith("msgstr"):
            head, _, value = line.partition(" ")
            entry.msgstrs.append(ast.literal_eval(value))
            target = ("msgstr", len(entry.msgstrs) - 1)
        elif line.startswith('"') and target:
            value = ast.literal_eval(line)
            kind, index = target
            if kind == "msgid":
                entry.msgid += value
            elif kind == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif kind == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            else:
                entry.msgstrs[index] += value
    finish()
    return entries


CATALOGS = _catalogs()
IDS = [str(path.relative_to(BASE_DIR).parts[0]) for path in CATALOGS]


def test_every_app_catalog_is_found():
    names = {path.relative_to(BASE_DIR).parts[0] for path in CATALOGS}
    assert {"locale", "accounts"} <= names


@pytest.mark.parametrize("po", CATALOGS, ids=IDS)
def test_catalog_has_no_empty_or_fuzzy_translations(po: Path):
    entries = [entry for entry in _parse_po(po) if entry.msgid]  # the header has an empty msgid
    assert entries, f"{po} has no messages"
    empty = [entry.msgid for entry in entries if not entry.msgstrs or not all(entry.msgstrs)]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert not empty, f"{po.relative_to(BASE_DIR)}: untranslated: {empty[:10]} ({len(empty)} in all)"
    assert not fuzzy, f"{po.relative_to(BASE_DIR)}: fuzzy: {fuzzy[:10]} ({len(fuzzy)} in all)"


@pytest.mark.parametrize("po", CATALOGS, ids=IDS)
def test_compiled_catalog_matches_the_po(po: Path):
    """The .mo holds every translation of the .po. (Compared by content, not by file times,
    which a git checkout does not keep.)"""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(BASE_DIR)} is missing: run make messages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _parse_po(po):
        if not entry.msgid or entry.fuzzy or not all(entry.msgstrs):
            continue
        if entry.msgid_plural is None:
            if entry.msgctxt is not None:
                translated = compiled.pgettext(entry.msgctxt, entry.msgid)
            else:
                translated = compiled.gettext(entry.msgid)
            if translated != entry.msgstrs[0]:
                stale.append(entry.msgid)
        elif entry.msgctxt is not None:
            plurals = [compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            if plurals != entry.msgstrs[:2]:
                stale.append(entry.msgid)
        elif [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)] != entry.msgstrs[:2]:
            stale.append(entry.msgid)
    assert not stale, f"{mo.relative_to(BASE_DIR)} is older than its .po (run make messages): {stale[:10]}"


@pytest.mark.django_db
def test_home_page_is_korean_by_default(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="ko">' in html
    assert "입주기업" in html and "본문 바로가기" in html


@pytest.mark.django_db
def test_language_switch_turns_the_site_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in html
    assert "Companies" in html and "Skip to content" in html and "입주기업" not in html
    html = client.post(reverse("set_language"), {"language": "ko", "next": "/"}, follow=True).content.decode()
    assert '<html lang="ko">' in html and "입주기업" in html


@pytest.mark.django_db
def test_browser_asking_for_english_gets_english(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html
    assert "Companies" in html


@pytest.mark.django_db
def test_korean_browser_gets_korean_even_with_english_as_a_second_choice(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.8").content.decode()
    assert '<html lang="ko">' in html


def test_a_korean_string_has_one_english_translation_across_catalogs():
    """Django merges every catalog into one, so when two catalogs translate the same Korean
    string differently, the page shows whichever catalog wins, not the one its app wrote."""
    seen: dict[tuple[str | None, str], tuple[str, str]] = {}
    conflicts = []
    for po in CATALOGS:
        for entry in _parse_po(po):
            if not entry.msgid or entry.msgid_plural is not None or not entry.msgstrs or not entry.msgstrs[0]:
                continue
            key = (entry.msgctxt, entry.msgid)
            where = str(po.relative_to(BASE_DIR).parts[0])
            if key in seen and seen[key][1] != entry.msgstrs[0]:
                conflicts.append(f"{entry.msgid!r}: {seen[key][0]}={seen[key][1]!r} vs {where}={entry.msgstrs[0]!r}")
            seen.setdefault(key, (where, entry.msgstrs[0]))
    assert not conflicts, "\n".join(conflicts)
