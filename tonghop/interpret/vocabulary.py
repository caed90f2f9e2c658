"""The reporting vocabulary (`schemas/vocabulary.toml`), merged with an analyst's additions and cached.

Heading words, closing lines and indicator phrases are data so that analysts extend them without code:
`settings.vocabulary_file` names a TOML file with only the additions, merged over the shipped file (lists
are extended, other values replaced). Every phrase is stored as a matching key (see `key`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tonghop.errors import ConfigError
from tonghop.settings import PROJECT_ROOT
from tonghop.text import fold, squash

VOCABULARY_FILE = PROJECT_ROOT / "schemas" / "vocabulary.toml"
SECTION_CATEGORIES: tuple[str, ...] = (
    "context",
    "results",
    "difficulties",
    "causes",
    "lessons",
    "directions",
    "proposals",
)

_NON_WORD = re.compile(r"[^\w\s]+")
_PARTS = re.compile(r",|;|\s+(?i:và)\s+")


def key(text: str) -> str:
    """Lower case, one tone placement, punctuation as spaces: `Tồn tại - hạn chế:` → `tồn tại hạn chế`."""
    return squash(_NON_WORD.sub(" ", fold(text)))


def starts_with_phrase(text_key: str, phrase_key: str) -> bool:
    return text_key == phrase_key or text_key.startswith(phrase_key + " ")


def contains_phrase(text_key: str, phrase_key: str) -> bool:
    return f" {phrase_key} " in f" {text_key} "


def _keys(values: list[str]) -> tuple[str, ...]:
    """Matching keys, longest first so that the most specific phrase wins."""
    return tuple(sorted({key(v) for v in values if key(v)}, key=len, reverse=True))


@dataclass(frozen=True)
class IndicatorWords:
    ai_words: tuple[str, ...]
    staff_nouns: tuple[str, ...]
    training_words: tuple[str, ...]
    training_units: tuple[str, ...]
    account_words: tuple[str, ...]
    account_excluded: tuple[str, ...]
    access_words: tuple[str, ...]
    use_words: tuple[str, ...]
    total_words: tuple[str, ...]
    value_headers: tuple[str, ...]
    label_headers: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: compiled patterns are cached per vocabulary
class Vocabulary:
    fillers: tuple[str, ...]
    headings: dict[str, tuple[str, ...]]
    headings_by_type: dict[str, dict[str, tuple[str, ...]]]
    closing: tuple[re.Pattern[str], ...]
    motto: tuple[str, ...]
    recipients: tuple[str, ...]
    cc: tuple[str, ...]
    body_starters: tuple[str, ...]
    doc_titles: dict[str, str]
    number_symbols: dict[str, str]
    authorities: tuple[str, ...]
    signer_titles: tuple[str, ...]
    not_names: tuple[str, ...]
    commune_divisions: tuple[str, ...]
    district_divisions: tuple[str, ...]
    province_divisions: tuple[str, ...]
    bodies: tuple[str, ...]
    replaces: tuple[re.Pattern[str], ...]
    indicators: IndicatorWords
    requests: tuple[str, ...] = ()
    higher_levels: tuple[str, ...] = ()
    section_ends: tuple[re.Pattern[str], ...] = ()

    def heading_category(self, text: str, doc_type: str | None = None) -> str | None:
        """The category a heading opens (`results`, `context`…), or None when the words are unknown.

        Offices join parts in one heading ("NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG…" opens the content by its first
        words); a heading that opens with context ("LỘ TRÌNH THỰC HIỆN VÀ NỘI DUNG TUYÊN TRUYỀN") opens
        the section a later part names, if any. A request that does not ask a higher level is an
        assignment (context).
        """
        category = self._category(text, doc_type)
        if category == "context":
            found = [self._category(part, doc_type) for part in _PARTS.split(text)[1:] if part.strip()]
            category = next((c for c in found if c is not None and c != "context"), category)
        if category == "proposals" and not self._asks_higher_level(text):
            return "context"
        return category

    def is_request(self, text: str) -> bool:
        """`Đề nghị UBND tỉnh…`: a heading that asks someone for something."""
        k = key(text)
        return any(starts_with_phrase(k, r) and k != r for r in self.requests)

    def _asks_higher_level(self, text: str) -> bool:
        k = key(text)
        request = next((r for r in self.requests if starts_with_phrase(k, r)), None)
        if request is None or k == request:
            return True  # "Kiến nghị", "Đề xuất", a bare "Đề nghị": the proposals heading itself
        return any(contains_phrase(k, level) for level in self.higher_levels)

    def is_section_end(self, text: str) -> bool:
        """A contact, attachment or appendix line: it ends the section above and is never an item."""
        folded = squash(fold(text)).lstrip("-–•+* ")
        return any(p.search(folded) for p in self.section_ends)

    def _category(self, text: str, doc_type: str | None) -> str | None:
        k = key(text)
        while True:
            found = self._match(k, doc_type)
            if found is not None:
                return found
            filler = next((f for f in self.fillers if starts_with_phrase(k, f) and k != f), None)
            if filler is None:
                return None
            k = k[len(filler) :].strip()

    def _match(self, k: str, doc_type: str | None) -> str | None:
        for table in (self.headings_by_type.get(doc_type or "", {}), self.headings):
            best: tuple[int, str] | None = None
            for category, phrases in table.items():
                for phrase in phrases:
                    if starts_with_phrase(k, phrase) and (best is None or len(phrase) > best[0]):
                        best = (len(phrase), category)
            if best is not None:
                return best[1]
        return None

    def is_closing(self, text: str) -> bool:
        folded = squash(fold(text))
        return not folded.endswith(":") and any(p.search(folded) for p in self.closing)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for name, value in extra.items():
        old = merged.get(name)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[name] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            merged[name] = old + [v for v in value if v not in old]
        else:
            merged[name] = value
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp từ vựng {path}: {exc.strerror or exc}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Tệp từ vựng {path} sai cú pháp TOML: {exc}.") from exc


def _compile(patterns: list[str], path: Path, flags: int = 0) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, flags))
        except re.error as exc:
            raise ConfigError(f"Tệp từ vựng {path}: biểu thức '{pattern}' không hợp lệ ({exc}).") from exc
    return tuple(compiled)


def _build(data: dict[str, Any], path: Path) -> Vocabulary:
    headings = data["headings"]
    by_type = {
        name: {c: _keys(v) for c, v in table.items() if c in SECTION_CATEGORIES}
        for name, table in headings.items()
        if isinstance(table, dict)
    }
    ind = data["indicators"]
    units = data["units"]
    return Vocabulary(
        fillers=_keys(headings.get("fillers", [])),
        headings={c: _keys(headings.get(c, [])) for c in SECTION_CATEGORIES},
        headings_by_type=by_type,
        closing=_compile(data["closing"]["patterns"], path),
        motto=_keys(data["header"]["national_motto"]),
        recipients=_keys(data["header"]["recipients"]),
        cc=_keys(data["header"]["cc"]),
        body_starters=_keys(data["header"]["body_starters"]),
        doc_titles={key(p): t for t, phrases in data["document_types"].items() for p in phrases},
        number_symbols={s.casefold(): t for t, symbols in data["number_symbols"].items() for s in symbols},
        authorities=tuple(a.upper() for a in data["signature"]["authorities"]),
        signer_titles=_keys(data["signature"]["titles"]),
        not_names=_keys(data["signature"]["not_names"]),
        commune_divisions=_keys(units["commune"]),
        district_divisions=_keys(units["district"]),
        province_divisions=_keys(units["province"]),
        bodies=_keys(units["bodies"]),
        replaces=_compile(data["replaces"]["patterns"], path, re.IGNORECASE),
        indicators=IndicatorWords(**{name: _keys(ind[name]) for name in IndicatorWords.__dataclass_fields__}),
        requests=_keys(headings.get("requests", [])),
        higher_levels=_keys(headings.get("higher_levels", [])),
        section_ends=_compile(headings.get("section_end_patterns", []), path),
    )


@lru_cache(maxsize=8)
def _load(extra: str | None, _mtime: float | None) -> Vocabulary:
    data = _read(VOCABULARY_FILE)
    path = VOCABULARY_FILE
    if extra is not None:
        path = Path(extra)
        data = _merge(data, _read(path))
    try:
        return _build(data, path)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"Tệp từ vựng {path} thiếu hoặc sai mục {exc}.") from exc


def load_vocabulary(extra: Path | None = None) -> Vocabulary:
    """The shipped vocabulary, with `extra` merged over it; reloaded only when `extra` changes on disk."""
    if extra is None:
        return _load(None, None)
    try:
        mtime = extra.stat().st_mtime
    except OSError as exc:
        raise ConfigError(f"Không tìm thấy tệp từ vựng {extra}.") from exc
    return _load(str(extra), mtime)
