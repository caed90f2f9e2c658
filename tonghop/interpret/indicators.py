"""The figures a commune reports, read from its sentences and data tables, each with its evidence.

Sentences: `28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI` gives using 28 of 36; `100% cán bộ … được
tiếp cận` gives the total, once a total is known; `02 lớp tập huấn`, `20 tài khoản`, `đã tập huấn cho 45
cán bộ`. Tables (`Chỉ tiêu | Số lượng`, any column order) win over sentences, with a warning when they
disagree. Only sentences about AI count (or any sentence when the document's title is about AI), so a
report on another subject does not lend its head counts.

A stated percentage is not checked here: the evidence keeps the whole clause (`28/36 … (đạt 90%)`), and
`tonghop.check.validate` warns with `percentage_mismatch` when the two disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from schemas.report import (
    INDICATOR_LABELS_VI,
    INDICATOR_NAMES,
    IndicatorEvidence,
    Indicators,
    Issue,
    Source,
)
from tonghop.interpret.indicator_words import mentions_ai, pattern, staff_kind, staff_re
from tonghop.interpret.lines import Line
from tonghop.interpret.numbers import (
    NUMBER_RE,
    NUMBER_WORDS_RE,
    parse_decimal,
    parse_int,
)
from tonghop.interpret.tables import TableFigure
from tonghop.interpret.vocabulary import Vocabulary
from tonghop.text import fold

MAX_EVIDENCE_CHARS = 300

_CLAUSES = re.compile(r"(?<=[;!?])\s+|(?<=\.)\s+(?=[^\W\d_])")
_NUM = rf"(?:{NUMBER_RE}|{NUMBER_WORDS_RE})"
_ANY_NUMBER = re.compile(rf"\d|{NUMBER_WORDS_RE}")


@dataclass
class Finding:
    indicator: str
    value: int
    text: str
    source: Source


@dataclass
class _Percent:
    indicator: str
    percent: float
    text: str
    source: Source


@dataclass
class Result:
    indicators: Indicators = field(default_factory=Indicators)
    evidence: list[IndicatorEvidence] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class _Patterns:
    fraction: re.Pattern[str]
    percent: re.Pattern[str]
    count: re.Pattern[str]
    total: re.Pattern[str]
    trainings: re.Pattern[str]
    accounts: re.Pattern[str]


@lru_cache(maxsize=8)
def _patterns(vocab: Vocabulary) -> _Patterns:
    staff = staff_re(vocab)
    units = pattern(vocab, "training_units").pattern
    accounts = pattern(vocab, "account_words").pattern
    training = pattern(vocab, "training_words").pattern
    return _Patterns(
        fraction=re.compile(rf"(?<!/)(?P<a>{NUMBER_RE})\s*/\s*(?P<b>{NUMBER_RE})(?!\s*/)\s*(?:{staff})"),
        percent=re.compile(rf"(?P<p>\d+(?:[.,]\d+)?)\s*%\s*(?:số\s+)?(?:{staff})"),
        count=re.compile(rf"(?<![/%])(?P<n>{_NUM})\s+(?:{staff})"),
        total=re.compile(rf"tổng số\s+(?:{staff})[^\d;]{{0,40}}?(?P<n>{NUMBER_RE})"),
        trainings=re.compile(
            rf"(?P<n>{_NUM})\s+(?:{units})(?:\s+\S+){{0,2}}?\s+(?:{training})"
            rf"|(?:{training})(?:\s+\S+){{0,3}}?\s+(?P<m>{_NUM})\s+(?:{units})"
        ),
        accounts=re.compile(rf"(?P<n>{_NUM})\s+(?:{accounts})"),
    )


def _clip(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_EVIDENCE_CHARS else text[: MAX_EVIDENCE_CHARS - 1] + "…"


def _staff_numbers(clause: str, source: Source, vocab: Vocabulary) -> tuple[list[Finding], list[_Percent]]:
    """`28/36 cán bộ…`, `45 cán bộ…`, `100% cán bộ…`: each number's indicator is named by the verb in
    the stretch of text between it and its neighbours (`đã tập huấn cho 45 cán bộ, 30 cán bộ đã dùng AI`).
    """
    folded = fold(clause)
    p = _patterns(vocab)
    found: list[Finding] = []
    percents: list[_Percent] = []
    matches: list[tuple[str, re.Match[str]]] = [("fraction", m) for m in p.fraction.finditer(folded)]
    taken = [m.span() for _, m in matches]
    matches += [
        ("count", m) for m in p.count.finditer(folded) if not any(s <= m.start() < e for s, e in taken)
    ]
    matches += [("percent", m) for m in p.percent.finditer(folded)]
    matches.sort(key=lambda km: km[1].start())
    for index, (kind, m) in enumerate(matches):
        before = folded[matches[index - 1][1].end() if index else 0 : m.start()]
        after = folded[m.end() : matches[index + 1][1].start() if index + 1 < len(matches) else len(folded)]
        indicator = staff_kind(f"{before} {after}", vocab)
        if kind == "fraction":
            a, b = parse_int(m.group("a")), parse_int(m.group("b"))
            if a is None or not b:
                continue
            found.append(Finding("staff_total", b, clause, source))
            if indicator not in (None, "staff_total"):
                found.append(Finding(indicator, a, clause, source))
        elif indicator is None:
            continue
        elif kind == "percent":
            value = parse_decimal(m.group("p"))
            if value is not None and value <= 100:
                percents.append(_Percent(indicator, value, clause, source))
        elif (n := parse_int(m.group("n"))) is not None:
            found.append(Finding(indicator, n, clause, source))
    return found, percents


def _scan_clause(clause: str, source: Source, vocab: Vocabulary) -> tuple[list[Finding], list[_Percent]]:
    folded = fold(clause)
    if not _ANY_NUMBER.search(folded):
        return [], []
    p = _patterns(vocab)
    found, percents = _staff_numbers(clause, source, vocab)
    total = p.total.search(folded)
    if total and (n := parse_int(total.group("n"))) is not None:
        found.append(Finding("staff_total", n, clause, source))
    for m in p.trainings.finditer(folded):
        if (n := parse_int(m.group("n") or m.group("m"))) is not None:
            found.append(Finding("trainings", n, clause, source))
            break
    excluded = pattern(vocab, "account_excluded")
    for m in p.accounts.finditer(folded):
        if excluded.search(folded[m.end() : m.end() + 40]):
            continue
        if (n := parse_int(m.group("n"))) is not None:
            found.append(Finding("ai_accounts", n, clause, source))
            break
    return found, percents


def scan_text(
    lines: list[Line], file: str, vocab: Vocabulary, ai_document: bool
) -> tuple[list[Finding], list[_Percent]]:
    """Findings from body lines, in reading order; a sentence counts when it or the document is about AI."""
    found: list[Finding] = []
    percents: list[_Percent] = []
    for line in lines:
        if line.in_table:
            continue
        source = line.block.source(file)
        for sentence in re.split(r"(?<=\.)\s+(?=[^\W\d_])", line.text):
            if not (ai_document or mentions_ai(sentence, vocab)):
                continue
            for clause in _CLAUSES.split(sentence):
                f, p = _scan_clause(clause, source, vocab)
                found.extend(f)
                percents.extend(p)
    return found, percents


def _first(findings: list[Finding]) -> dict[str, Finding]:
    chosen: dict[str, Finding] = {}
    for finding in findings:
        chosen.setdefault(finding.indicator, finding)
    return chosen


def _label(indicator: str) -> str:
    return INDICATOR_LABELS_VI.get(indicator, indicator)


def combine(text: list[Finding], percents: list[_Percent], tables: list[TableFigure], file: str) -> Result:
    """Tables win over sentences; a total found anywhere turns `100% cán bộ …` into a count."""
    result = Result()
    from_text = _first(text)
    from_table: dict[str, TableFigure] = {}
    for figure in tables:
        from_table.setdefault(figure.indicator, figure)
    chosen: dict[str, Finding] = {}
    for name in INDICATOR_NAMES:
        table, said = from_table.get(name), from_text.get(name)
        if table is not None:
            chosen[name] = Finding(name, table.value, table.text, table.source)
            if said is not None and said.value != table.value:
                result.warnings.append(
                    Issue(
                        code="indicator_conflict",
                        message=(
                            f"Tệp {file}: chỉ tiêu “{_label(name)}” trong bảng là {table.value} "
                            f"({table.source.label()}), trong lời văn là {said.value} "
                            f"({said.source.label()}); lấy số liệu trong bảng."
                        ),
                    )
                )
        elif said is not None:
            chosen[name] = said
    total = chosen.get("staff_total")
    for pct in percents:
        if pct.indicator in chosen or pct.indicator == "staff_total" or total is None:
            continue
        value = round(pct.percent * total.value / 100)
        chosen[pct.indicator] = Finding(pct.indicator, value, pct.text, pct.source)
    values = {name: f.value for name, f in chosen.items()}
    result.indicators = Indicators(**values)
    result.evidence = [
        IndicatorEvidence(indicator=name, value=f.value, text=_clip(f.text), source=f.source)
        for name, f in sorted(chosen.items(), key=lambda kv: INDICATOR_NAMES.index(kv[0]))
    ]
    return result
