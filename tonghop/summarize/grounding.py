"""Grounding: every statement of the summary rests on cited commune items, and every number in it is checked.

The checks are deliberately mechanical, so an analyst can rely on them whatever wrote the sentence:
- a number (`02 lớp`, `77,8%`, `28/36`, `1.234`) must equal a number of a cited item, a percentage computed
  from a fraction in a cited item, or an aggregate computed in code (indicator totals, commune counts);
  otherwise the sentence is `unverified` with the numbers listed;
- a model's sentence must share most of its content words with the items it cites, so a sentence that
  obeys an instruction hidden in a document (or invents a claim) cannot borrow a real citation;
- a statement that speaks to the system instead of reporting ("bỏ qua các hướng dẫn…") is flagged.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from schemas.report import CommuneReport, Item
from schemas.summary import Citation, Sentence, Totals
from tonghop.settings import PROJECT_ROOT
from tonghop.text import ascii_key

VOCABULARY_FILE = PROJECT_ROOT / "schemas" / "summary_vocabulary.toml"

# Flags carried by `Sentence.flags`; the labels are what the review page and the workbook show.
FLAG_LLM_FALLBACK = "llm_fallback"
FLAG_UNSUPPORTED = "unsupported_replaced"
FLAG_UNCOVERED = "llm_uncovered"
FLAG_INJECTION = "possible_injection"
FLAG_INVALID_REPLY = "invalid_reply"
FLAG_FIGURES_DIFFER = "figures_differ"
FLAG_BY_UNIT = "figures_by_unit"
FLAG_MISATTRIBUTED = "misattributed_replaced"
FLAG_LABELS_VI: dict[str, str] = {
    FLAG_LLM_FALLBACK: "Mô hình không trả lời được, dùng câu trích từ văn bản",
    FLAG_INVALID_REPLY: "Phản hồi của mô hình sai định dạng, dùng câu trích từ văn bản",
    FLAG_UNSUPPORTED: "Câu do mô hình viết không khớp nguồn trích dẫn, đã thay bằng câu trích từ văn bản",
    FLAG_UNCOVERED: "Ý này chưa được tổng hợp: mô hình không viết câu nào có căn cứ từ ý này; giữ nguyên văn",
    FLAG_INJECTION: "Nội dung giống câu lệnh gửi cho hệ thống, không gửi cho mô hình; cần người kiểm tra",
    FLAG_FIGURES_DIFFER: "Số liệu trong câu là của một xã, phường; các đơn vị khác trong chủ đề nêu số khác",
    FLAG_BY_UNIT: "Số liệu ghi theo từng xã, phường, lấy từ văn bản của chính đơn vị đó",
    FLAG_MISATTRIBUTED: (
        "Câu do mô hình viết gán số liệu cho xã, phường không nêu số đó, đã thay bằng câu trích"
    ),
}
# The flags that stop publication until an analyst decides on the statement: doubts about what it says.
# The others record where a statement's words came from, which an analyst may read but need not decide.
REVIEW_FLAGS: frozenset[str] = frozenset({FLAG_INJECTION, FLAG_FIGURES_DIFFER})
# What the draft report prints after such a statement, in `[cần rà soát: …]`.
REVIEW_MARKS_VI: dict[str, str] = {
    FLAG_INJECTION: "nội dung nghi là chèn lệnh",
    FLAG_FIGURES_DIFFER: "số liệu của một đơn vị, các đơn vị khác nêu số khác",
}

SUPPORT_THRESHOLD = 0.45


@dataclass(frozen=True)
class Vocabulary:
    stopwords: frozenset[str]
    summary_words: frozenset[str]
    instruction_markers: tuple[re.Pattern[str], ...]
    synonyms: dict[str, str]  # folded variant -> folded canonical form
    synonym_re: re.Pattern[str] | None


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    synonyms = {
        ascii_key(variant): ascii_key(canonical)
        for canonical, variants in data.get("synonyms", {}).items()
        for variant in variants
    }
    alternatives = "|".join(re.escape(v) for v in sorted(synonyms, key=len, reverse=True))
    return Vocabulary(
        stopwords=frozenset(data["stopwords"]),
        summary_words=frozenset(data["summary_words"]),
        instruction_markers=tuple(re.compile(p) for p in data["instruction_markers"]),
        synonyms=synonyms,
        synonym_re=re.compile(rf"\b(?:{alternatives})\b") if synonyms else None,
    )


@lru_cache(maxsize=1 << 14)
def folded_terms(text: str) -> str:
    """`ascii_key` with synonyms mapped to their canonical form (`đào tạo` → `tap huan`).

    Kept per text: checking a summary folds each cited paragraph again for every sentence citing it, and
    nearly half of a national LLM re-run's pattern substitutions were such repeats. As many texts as
    `ascii_key` keeps: the sentences of one call cite the items of that call, so a small cache catches the
    repeats, and a served process keeps at most that many paragraphs alive between runs, not a whole
    round's.
    """
    vocab = vocabulary()
    key = ascii_key(text)
    if vocab.synonym_re is None:
        return key
    return vocab.synonym_re.sub(lambda m: vocab.synonyms[m.group(0)], key)


def citation_for(report: CommuneReport, section: str, index: int, item: Item) -> Citation:
    unit = report.unit
    return Citation(
        unit_code=unit.code if unit else None,
        unit_name=unit.name if unit else report.file,
        file=report.file,
        sha256=report.sha256,
        section=section,
        item_index=index,
        source=item.source,
        text=item.text,
    )


def citation_key(citation: Citation) -> tuple[str, str, str, int]:
    """Orders citations by commune name (diacritics folded), then file and position."""
    return (name_key(citation.unit_name), citation.file, citation.section, citation.item_index)


@lru_cache(maxsize=1 << 14)
def name_key(name: str) -> str:
    return ascii_key(name)


# --- numbers --------------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"(?<![\w\[])(\d+(?:[.,]\d+)*)(\s?%)?(?![\w\]])")
_FRACTION_RE = re.compile(r"(?<![\w.,])(\d+)\s?/\s?(\d+)(?![\d/])")
_PLAIN_INT_RE = re.compile(r"^\d+$")
_THOUSANDS_DOT_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_THOUSANDS_COMMA_RE = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def number_values(raw: str) -> set[float]:
    """Every value a written number can mean: `1.234` is 1234 (or 1.234), `1,5` is 1.5, `02` is 2."""
    raw = raw.strip()
    values: set[float] = set()
    if _PLAIN_INT_RE.match(raw):
        values.add(float(int(raw)))
        return values
    if "." in raw and "," in raw:
        if raw.rfind(",") > raw.rfind("."):
            values.add(_to_float(raw.replace(".", "").replace(",", ".")))
        else:
            values.add(_to_float(raw.replace(",", "")))
        return {v for v in values if v == v}
    if _THOUSANDS_DOT_RE.match(raw):
        values.add(float(raw.replace(".", "")))
    if _THOUSANDS_COMMA_RE.match(raw):
        values.add(float(raw.replace(",", "")))
    if raw.count(".") == 1 or raw.count(",") == 1:
        values.add(_to_float(raw.replace(",", ".")))
    return {v for v in values if v == v}


def _to_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _key(value: float) -> float:
    return round(value, 6)


def find_numbers(text: str) -> list[str]:
    """The numbers written in `text`, as written (with `%` when it follows)."""
    return [m.group(1) + (m.group(2) or "").strip() for m in _NUMBER_RE.finditer(text)]


@dataclass
class NumberEvidence:
    """The numbers a sentence may use: those of its sources, and aggregates computed in code."""

    values: set[float] = field(default_factory=set)
    ratios: set[float] = field(default_factory=set)  # percentages computed from fractions, unrounded

    def add_text(self, text: str) -> None:
        values, ratios = _numbers_of(text)
        self.values.update(values)
        self.ratios.update(ratios)

    def add_values(self, values: Iterable[float]) -> None:
        self.values.update(_key(float(v)) for v in values)

    def add_ratio(self, percent: float) -> None:
        self.ratios.add(percent)

    def merged(self, other: NumberEvidence) -> NumberEvidence:
        return NumberEvidence(self.values | other.values, self.ratios | other.ratios)

    def supports(self, raw: str) -> bool:
        is_percent = raw.endswith("%")
        candidates = number_values(raw.rstrip("%"))
        if any(_key(v) in self.values for v in candidates):
            return True
        if not is_percent:
            return False
        written = raw.rstrip("%").replace(".", ",")
        decimals = len(written.rsplit(",", 1)[1]) if "," in written else 0
        return any(round(r, decimals) == round(v, decimals) for v in candidates for r in self.ratios)


@lru_cache(maxsize=1 << 16)
def _numbers_of(text: str) -> tuple[frozenset[float], frozenset[float]]:
    values = {_key(v) for raw in find_numbers(text) for v in number_values(raw.rstrip("%"))}
    ratios: set[float] = set()
    for match in _FRACTION_RE.finditer(text):
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator and numerator <= denominator:
            ratios.add(100.0 * numerator / denominator)
    return frozenset(values), frozenset(ratios)


def unverified_numbers(text: str, evidence: NumberEvidence) -> list[str]:
    missing: list[str] = []
    for raw in find_numbers(text):
        if not evidence.supports(raw) and raw not in missing:
            missing.append(raw)
    return missing


def totals_evidence(totals: Totals, extra: Iterable[float] = ()) -> NumberEvidence:
    """Aggregates computed in code that any sentence may quote: indicator totals and staff rates."""
    evidence = NumberEvidence()
    for indicator in totals.indicators:
        evidence.add_values([indicator.total, indicator.reporting_units])
    for rate in (totals.staff_using_ai_rate, totals.staff_trained_rate):
        if rate is not None:
            evidence.add_ratio(rate * 100)
    evidence.add_values(extra)
    return evidence


def verify_sentence(sentence: Sentence, aggregates: NumberEvidence) -> Sentence:
    """The sentence with `unverified` set from its own citations plus the aggregates."""
    evidence = NumberEvidence()
    for citation in sentence.citations:
        evidence.add_text(citation.text)
    evidence.add_values(
        [len({(c.unit_code, c.unit_name) for c in sentence.citations}), len(sentence.citations)]
    )
    missing = unverified_numbers(sentence.text, evidence.merged(aggregates))
    return sentence.model_copy(update={"unverified": bool(missing), "unverified_numbers": missing})


# --- support and instructions ---------------------------------------------------------------------------


def content_tokens(text: str, *, for_support: bool = False) -> list[str]:
    """Syllables that carry meaning: folded, without stopwords (and summary words) or pure numbers."""
    vocab = vocabulary()
    drop = vocab.stopwords | vocab.summary_words if for_support else vocab.stopwords
    return [t for t in folded_terms(text).split() if t not in drop and not t.isdigit()]


def support_ratio(text: str, sources: Iterable[str], names: Iterable[str] = ()) -> float:
    """How much of the sentence its cited texts back: the mean of the shares of its content syllables and of
    its pairs of adjacent content syllables found in them (1.0 when it has no content words).

    Pairs matter because single syllables are ambiguous in Vietnamese (`tập` of `tập huấn` and of `tập
    thể`). Syllables of `names` (the cited communes) are left out: naming a commune is allowed, but does
    not make a claim about it any better supported.
    """
    neutral: set[str] = set()
    for name in names:
        neutral.update(folded_terms(name).split())
    words = [w for w in content_tokens(text, for_support=True) if w not in neutral]
    if not words:
        return 1.0
    known: set[str] = set()
    known_pairs: set[tuple[str, str]] = set()
    for source in sources:
        known.update(folded_terms(source).split())
        known_pairs.update(itertools.pairwise(content_tokens(source, for_support=True)))
    unique = set(words)
    single = len(unique & known) / len(unique)
    pairs = set(itertools.pairwise(words))
    paired = len(pairs & known_pairs) / len(pairs) if pairs else single
    return (single + paired) / 2


def is_supported(text: str, sources: Iterable[str], names: Iterable[str] = ()) -> bool:
    return support_ratio(text, sources, names) >= SUPPORT_THRESHOLD


@lru_cache(maxsize=1 << 16)
def looks_like_instruction(text: str) -> bool:
    key = ascii_key(text)
    return any(p.search(key) for p in vocabulary().instruction_markers)
