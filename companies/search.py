"""Forgiving Korean search: normalisation, search documents and matching, shared by the company
directory and any other list that wants the same behaviour (e.g. meeting participants).

What "forgiving" means here (see ``docs/search.md``, ``bench/README.md`` and the table in
``tests/companies/search_table.py``):

- **Jamo prefixes.** Text is compared as a string of Hangul compatibility jamo, so a syllable
  still being typed matches: ``로보`` and ``롭`` (ㄹㅗㅂ) are prefixes of 로봇 (ㄹㅗㅂㅗㅅ), ``바이`` of
  바이오. Compound vowels and final consonants are split the way they are typed (ㅘ → ㅗㅏ,
  ㄺ → ㄹㄱ), so ``달`` is a prefix of 닭.
- **Initial consonants (초성).** A query made only of consonants (``ㄹㅂㅌㅈ``, optionally with
  Latin letters or digits, ``lgㅈㅈ``) matches the initials of the names (로보티즈 → ㄹㅂㅌㅈ).
- **Spacing and punctuation** are dropped on both sides (NFKC, case-folded, letters and digits
  only), so ``로보 티즈`` = ``로보티즈`` and ``마곡 R&D`` = ``마곡R&D`` = ``마곡rd``.
- **Aliases** (:class:`companies.models.SearchAlias`, kept by staff in the admin: 엘지 = LG,
  로봇 = robot): a name or keyword containing one term is also indexed with the other terms in
  its place, so ``엘지`` finds LG전자 and ``robot`` finds the companies with the keyword 로봇.
- **Near spellings** (names only, queries of :data:`FUZZY_MIN_LENGTH` jamo or more):
  trigram word similarity ≥ :data:`SIMILARITY_THRESHOLD` or whole-name similarity ≥
  :data:`STRICT_SIMILARITY_THRESHOLD` (pg_trgm's ``<%`` and ``<<%`` on PostgreSQL, the same
  measures in Python on SQLite). They rank last and give the "did you mean" suggestion.

Ranking (``search_rank``): exact name, name prefix, name contains, keyword contains, similar
name — see the ``RANK_*`` constants.

- **Short queries** of one or two jamo (one syllable without a final consonant such as ``로``,
  a lone consonant ``ㄹ``, two letters ``lg``) match the *start* of names, keywords and 초성 only:
  "contains ㄹㅗ" would match a third of any directory and has no trigram to look up, whereas
  ``LIKE '%|ㄹㅗ%'`` (a word start after the separator) has padded trigrams that the index serves.

Storage: a model that is searched keeps three denormalised text columns, written on every save
(:class:`SearchDocumentModel` does it): ``search_names`` and ``search_keywords``
(``|variant|variant|`` in jamo) and ``search_initials`` (``|초성|``). On PostgreSQL, GIN trigram
indexes on them serve every query length: ``LIKE '%ㄹㅗㅂ%'``, ``LIKE '%|ㄹ%'`` and the
similarity operators. :func:`index_sql` gives the DDL for a table's indexes (see migration 0008).

Public API:

- :func:`normalise` (text → jamo string), :func:`initials`, :func:`fold`;
- :func:`parse_query` → :class:`SearchQuery` or ``None`` (nothing searchable);
- :func:`build_document` (names, keywords, alias groups → :class:`SearchDocument`);
- :func:`match_queryset` (a queryset of a model with the three columns, a query → filtered,
  annotated with ``search_rank`` and ``search_similarity``, ordered best first) — ONE query;
- :func:`match_rank` (pure Python, for lists already in memory);
- :func:`word_similarity`, :func:`strict_word_similarity`, :func:`is_similar` (pg_trgm's
  measures in Python, registered as SQLite functions by ``companies.apps``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Expression, F, FloatField, IntegerField, Q, QuerySet, Value, When

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
# Vowels and finals as they are typed on a 2-set keyboard: ㅘ is ㅗ then ㅏ, ㄺ is ㄹ then ㄱ.
JUNGSEONG = (
    "ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅛ", "ㅜ", "ㅜㅓ", "ㅜㅔ",
    "ㅜㅣ", "ㅠ", "ㅡ", "ㅡㅣ", "ㅣ",
)  # fmt: skip
JONGSEONG = (
    "", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ", "ㄹㅍ",
    "ㄹㅎ", "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
)  # fmt: skip
SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
CONSONANTS = frozenset("ㄱㄲㄳㄴㄵㄶㄷㄸㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅃㅄㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")

SEPARATOR = "|"
# Queries shorter than this (in jamo) match the start of names and keywords only.
SHORT_QUERY_LENGTH = 3
# Near spellings only for queries of at least this many jamo (two syllables with final
# consonants, six letters): shorter ones are similar to too much.
FUZZY_MIN_LENGTH = 6
# pg_trgm's defaults for word_similarity_threshold (the ``<%`` operator: a part of a name, e.g.
# a typo in one word of a long name) and strict_word_similarity_threshold (``<<%``: a whole name
# with a typo in its middle, 팜즈빌 → 팜스빌, which the looser measure scores lower).
SIMILARITY_THRESHOLD = 0.6
STRICT_SIMILARITY_THRESHOLD = 0.5

RANK_EXACT_NAME, RANK_NAME_PREFIX, RANK_NAME_CONTAINS, RANK_KEYWORD, RANK_SIMILAR = range(5)
DOCUMENT_FIELDS = ("names", "keywords", "initials")


def _jamo(char: str) -> str:
    code = ord(char)
    if SYLLABLE_FIRST <= code <= SYLLABLE_LAST:
        index = code - SYLLABLE_FIRST
        return CHOSEONG[index // 588] + JUNGSEONG[(index % 588) // 28] + JONGSEONG[index % 28]
    # NFKC turns compatibility jamo (ㄹ, U+3139) into conjoining ones (U+1105): back again.
    if 0x1100 <= code <= 0x1112:
        return CHOSEONG[code - 0x1100]
    if 0x1161 <= code <= 0x1175:
        return JUNGSEONG[code - 0x1161]
    if 0x11A8 <= code <= 0x11C2:
        return JONGSEONG[code - 0x11A7]
    return char


def fold(text: str | None) -> str:
    """NFKC, case-folded, letters and digits only: ``" 마곡 R&D "`` → ``"마곡rd"``. Syllables stay
    whole (this is the form aliases are matched in)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(char for char in folded if char.isalnum())


def normalise(text: str | None) -> str:
    """The searchable form of ``text``: :func:`fold`, then every Hangul syllable as the jamo it is
    typed with: ``"로보 티즈"`` → ``"ㄹㅗㅂㅗㅌㅣㅈㅡ"``, ``"LG전자"`` → ``"lgㅈㅓㄴㅈㅏ"``."""
    return "".join(_jamo(char) for char in fold(text))


def initials(text: str | None) -> str:
    """초성 of the Hangul syllables, other letters and digits as they are (case-folded):
    ``"로보티즈"`` → ``"ㄹㅂㅌㅈ"``, ``"LG전자"`` → ``"lgㅈㅈ"``."""
    out = []
    for char in fold(text):
        code = ord(char)
        if SYLLABLE_FIRST <= code <= SYLLABLE_LAST:
            out.append(CHOSEONG[(code - SYLLABLE_FIRST) // 588])
        else:
            out.append(_jamo(char))
    return "".join(out)


def _is_initials_query(folded: str) -> bool:
    """Only consonants (and possibly Latin letters or digits), at least one consonant."""
    has_consonant = False
    for char in folded:
        code = ord(char)
        if SYLLABLE_FIRST <= code <= SYLLABLE_LAST or 0x1161 <= code <= 0x1175:
            return False  # a syllable or a vowel: an ordinary query
        if 0x1100 <= code <= 0x1112 or 0x11A8 <= code <= 0x11C2:
            has_consonant = True
    return has_consonant


@dataclass(frozen=True)
class SearchQuery:
    text: str  # normalised (jamo); for an initials query, the consonants
    initials_only: bool

    @property
    def short(self) -> bool:
        return len(self.text) < SHORT_QUERY_LENGTH

    @property
    def fuzzy(self) -> bool:
        return not self.initials_only and len(self.text) >= FUZZY_MIN_LENGTH


def parse_query(raw: str | None) -> SearchQuery | None:
    """The query as it is matched, or ``None`` when it has no letter or digit (``"%"``, ``"  "``)."""
    folded = fold(raw)
    if not folded:
        return None
    return SearchQuery(text=normalise(folded), initials_only=_is_initials_query(folded))


# --- documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchDocument:
    names: str
    keywords: str
    initials: str

    def as_fields(self, prefix: str = "search_") -> dict[str, str]:
        return {f"{prefix}{name}": getattr(self, name) for name in DOCUMENT_FIELDS}


AliasGroups = Sequence[Sequence[str]]


def alias_variants(text: str, groups: AliasGroups) -> list[str]:
    """``text`` folded, plus one variant per alias term found in it with another term of its group
    in its place (``groups`` hold folded terms, see :func:`alias_groups`)."""
    folded = fold(text)
    if not folded:
        return []
    variants = [folded]
    for group in groups:
        for term in group:
            if term and term in folded:
                variants.extend(folded.replace(term, other) for other in group if other != term)
    return list(dict.fromkeys(variants))


def _join(pieces: Iterable[str]) -> str:
    unique = [piece for piece in dict.fromkeys(pieces) if piece]
    return f"{SEPARATOR}{SEPARATOR.join(unique)}{SEPARATOR}" if unique else ""


def build_document(names: Iterable[str], keywords: Iterable[str] = (), aliases: AliasGroups = ()) -> SearchDocument:
    """The search columns for an object called ``names`` (e.g. the Korean and English name)
    with ``keywords``; ``aliases`` are folded alias groups (:func:`alias_groups`)."""
    name_variants = [variant for name in names for variant in alias_variants(name, aliases)]
    keyword_variants = [variant for keyword in keywords for variant in alias_variants(keyword, aliases)]
    name_pieces = [normalise(variant) for variant in name_variants]
    keyword_pieces = [normalise(variant) for variant in keyword_variants]
    initial_pieces = [initials(variant) for variant in name_variants]
    return SearchDocument(
        names=_join(name_pieces),
        keywords=_join(keyword_pieces),
        initials=_join(initial_pieces),
    )


def alias_groups() -> list[tuple[str, ...]]:
    """Every :class:`~companies.models.SearchAlias` as a tuple of folded terms (one query)."""
    from .models import SearchAlias

    return [alias.folded_terms() for alias in SearchAlias.objects.all()]


NEVER = Q(pk__in=[])


def reindex(queryset: QuerySet[Any], *, aliases: AliasGroups | None = None, batch_size: int = 500) -> int:
    """Rewrite the search columns of every object of ``queryset`` (a :class:`SearchDocumentModel`)
    without touching anything else; returns how many. For writes that bypass ``save()``."""
    groups = alias_groups() if aliases is None else aliases
    model = queryset.model
    fields = [f"search_{name}" for name in DOCUMENT_FIELDS]
    batch: list[Any] = []
    total = 0
    for obj in queryset.order_by("pk").iterator(chunk_size=batch_size):
        obj.refresh_search_document(groups)
        batch.append(obj)
        if len(batch) >= batch_size:
            model._default_manager.bulk_update(batch, fields)
            total += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_update(batch, fields)
        total += len(batch)
    return total


def containing_any(queryset: QuerySet[Any], terms: Iterable[str], prefix: str = "search_") -> QuerySet[Any]:
    """The objects whose names or keywords contain one of ``terms`` (index-backed on PostgreSQL):
    those an alias of these terms changes."""
    condition = NEVER
    for term in terms:
        text = normalise(term)
        if text:
            condition |= Q(**{f"{prefix}names__contains": text}) | Q(**{f"{prefix}keywords__contains": text})
    return queryset.filter(condition)


# --- matching in the database ----------------------------------------------------------------


class WordSimilarity(Expression):
    """pg_trgm ``word_similarity(query, <names>)``; on SQLite the Python :func:`word_similarity`
    (registered by ``companies.apps``)."""

    output_field: Any = FloatField()

    def __init__(self, query: str, field: str) -> None:
        super().__init__()
        self.query = query
        self.column: Any = F(field)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> WordSimilarity:
        clone = self.copy()
        clone.column = self.column.resolve_expression(*args, **kwargs)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        function = "word_similarity" if connection.vendor == "postgresql" else "magok_word_similarity"
        return f"{function}(%s, {column})", [self.query, *params]


class WordSimilar(WordSimilarity):
    """``(query <% <names> OR query <<% <names>)`` on PostgreSQL (both served by the GIN trigram
    index, thresholds from pg_trgm's settings); :func:`is_similar` elsewhere."""

    output_field: Any = BooleanField()
    conditional = True

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            return f"(%s <%% {column} OR %s <<%% {column})", [self.query, *params, self.query, *params]
        return f"magok_is_similar(%s, {column})", [self.query, *params]


@dataclass(frozen=True)
class Conditions:
    exact: Q
    prefix: Q
    contains: Q
    keyword: Q
    similar: Any  # a boolean expression or None

    @property
    def substring(self) -> Q:
        return self.contains | self.keyword


def conditions(query: SearchQuery, prefix: str = "search_") -> Conditions:
    """The rank conditions of ``query`` on the search columns named ``<prefix>names`` etc. A short
    query has no "contains" rank and matches keywords from their start."""
    text = query.text
    column = f"{prefix}initials" if query.initials_only else f"{prefix}names"
    start = f"{SEPARATOR}{text}"
    if query.initials_only:
        keyword = NEVER
    else:
        keyword = Q(**{f"{prefix}keywords__contains": start if query.short else text})
    return Conditions(
        exact=Q(**{f"{column}__contains": f"{SEPARATOR}{text}{SEPARATOR}"}),
        prefix=Q(**{f"{column}__contains": start}),
        contains=Q(**{f"{column}__contains": start if query.short else text}),
        keyword=keyword,
        similar=WordSimilar(text, f"{prefix}names") if query.fuzzy else None,
    )


def match_queryset(
    queryset: QuerySet[Any], query: str | None, *, prefix: str = "search_", tiebreak: Sequence[str] = ("pk",)
) -> QuerySet[Any]:
    """``queryset`` narrowed to the objects matching ``query``, annotated with ``search_rank``
    (``RANK_*``) and ``search_similarity`` (for the similar-name rank only, else 0), ordered best
    first then by ``tiebreak``. The model needs the columns ``<prefix>names``, ``<prefix>keywords``,
    and ``<prefix>initials`` (:class:`SearchDocumentModel`). A query with
    nothing searchable in it matches nothing. Evaluating it is one SQL query.
    """
    parsed = parse_query(query)
    if parsed is None:
        return queryset.none()
    cond = conditions(parsed, prefix)
    matches: Any = cond.substring
    if cond.similar is not None:
        matches = matches | Q(cond.similar)
    rank = Case(
        When(cond.exact, then=Value(RANK_EXACT_NAME)),
        When(cond.prefix, then=Value(RANK_NAME_PREFIX)),
        When(cond.contains, then=Value(RANK_NAME_CONTAINS)),
        When(cond.keyword, then=Value(RANK_KEYWORD)),
        default=Value(RANK_SIMILAR),
        output_field=IntegerField(),
    )
    if cond.similar is not None:
        similarity: Any = Case(
            When(cond.substring, then=Value(0.0)),
            default=WordSimilarity(parsed.text, f"{prefix}names"),
            output_field=FloatField(),
        )
    else:
        similarity = Value(0.0, output_field=FloatField())
    return (
        queryset.filter(matches)
        .annotate(search_rank=rank, search_similarity=similarity)
        .order_by("search_rank", "-search_similarity", *tiebreak)
    )


# --- matching in Python ----------------------------------------------------------------------


def _trigrams(word: str) -> list[str]:
    padded = f"  {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def _words(document: str) -> list[str]:
    return document.replace(SEPARATOR, " ").split()


def word_similarity(query: str | None, document: str | None) -> float:
    """pg_trgm's ``word_similarity``: the best Jaccard similarity between the query's trigrams
    and a continuous run of the trigrams of one word of ``document`` (words split on ``|``)."""
    if not query or not document:
        return 0.0
    wanted = set(_trigrams(query))
    best = 0.0
    for word in _words(document):
        grams = _trigrams(word)
        for start in range(len(grams)):
            if grams[start] not in wanted:
                continue  # a best run starts and ends on a shared trigram
            extent: set[str] = set()
            for gram in grams[start:]:
                extent.add(gram)
                if gram in wanted:
                    shared = len(wanted & extent)
                    best = max(best, shared / (len(wanted) + len(extent) - shared))
    return best


def strict_word_similarity(query: str | None, document: str | None) -> float:
    """pg_trgm's ``strict_word_similarity``: the best Jaccard similarity with a whole word."""
    if not query or not document:
        return 0.0
    wanted = set(_trigrams(query))
    best = 0.0
    for word in _words(document):
        grams = set(_trigrams(word))
        shared = len(wanted & grams)
        best = max(best, shared / len(wanted | grams))
    return best


def is_similar(query: str, document: str) -> bool:
    """The near-spelling condition of :class:`WordSimilar`, in Python."""
    return (
        word_similarity(query, document) >= SIMILARITY_THRESHOLD
        or strict_word_similarity(query, document) >= STRICT_SIMILARITY_THRESHOLD
    )


def match_rank(
    query: str | None, names: Iterable[str], keywords: Iterable[str] = (), aliases: AliasGroups = ()
) -> int | None:
    """The ``RANK_*`` of an object called ``names`` with ``keywords`` for ``query``, or ``None`` if
    it does not match: the same rules as :func:`match_queryset`, for lists held in memory."""
    parsed = parse_query(query)
    if parsed is None:
        return None
    document = build_document(names, keywords, aliases)
    column = document.initials if parsed.initials_only else document.names
    text = parsed.text
    if f"{SEPARATOR}{text}{SEPARATOR}" in column:
        return RANK_EXACT_NAME
    if f"{SEPARATOR}{text}" in column:
        return RANK_NAME_PREFIX
    if not parsed.short and text in column:
        return RANK_NAME_CONTAINS
    if not parsed.initials_only and (f"{SEPARATOR}{text}" if parsed.short else text) in document.keywords:
        return RANK_KEYWORD
    if parsed.fuzzy and is_similar(text, document.names):
        return RANK_SIMILAR
    return None


# --- PostgreSQL indexes ----------------------------------------------------------------------


def index_sql(table: str, prefix: str = "search_", name: str | None = None) -> tuple[list[str], list[str]]:
    """(create, drop) statements for the GIN trigram indexes of a table's search columns
    (PostgreSQL, needs the pg_trgm extension)."""
    base = name or table
    columns = [f"{prefix}{column}" for column in DOCUMENT_FIELDS]
    create = [
        f"CREATE INDEX IF NOT EXISTS {base}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        for column in columns
    ]
    drop = [f"DROP INDEX IF EXISTS {base}_{column}_trgm" for column in columns]
    return create, drop
