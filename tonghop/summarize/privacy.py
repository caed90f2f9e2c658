"""Personal data stays on the machine: redacted before a prompt leaves, restored when the reply is back.

Commune reports carry contact lines (phones, e-mails), sometimes citizen ID numbers or bank accounts (training
fees, support payments). Following the Nghĩa Đàn rule ("không đưa dữ liệu cá nhân lên nền tảng AI"), every
text sent to a model goes through a `Redactor` first; the placeholders it writes (`[SĐT_1]`) are mapped back
only here, so the mapping never leaves the process. Numbering follows the order of first appearance, so the
same prompt always redacts to the same text (and hits the same cache entry).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# Kinds, in the order they are applied: the most specific patterns first, so a 12-digit citizen ID is not
# mistaken for a phone number and a bank account for an ID.
PLACEHOLDER_LABELS: dict[str, str] = {
    "email": "EMAIL",
    "id_number": "CCCD",
    "bank_account": "STK",
    "phone": "SĐT",
    "person_name": "HỌ_TÊN",
}

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# A labelled ID: `CCCD số 038095001234`, `CMND: 186 123 456`, `số định danh cá nhân 001...`.
_ID_LABELLED_RE = re.compile(
    r"(?i)(?:cccd|cmnd|cmt|căn cước(?: công dân)?|chứng minh (?:nhân dân|thư)|định danh(?: cá nhân)?)"
    r"\s*(?:số)?\s*[:.]?\s*(?P<value>\d[\d .]{7,16}\d)"
)
# A bare 12-digit citizen ID (they start with the 0 of the province code: 001…096).
_ID_BARE_RE = re.compile(r"(?<![\d.,/])0\d{11}(?![\d.,]\d)")

_BANK_RE = re.compile(
    r"(?i)(?:số tài khoản|stk|tài khoản(?: ngân hàng)?(?: số)?|tk ngân hàng)\s*(?:số)?\s*[:.]?\s*"
    r"(?P<value>\d[\d .\-]{4,24}\d)"
)

_SEP = r"[ .\-]?"
# Mobile: 0 + [35789] + 8 digits; landline: 0 + 2x + 8 digits; the 0 may be written +84, (+84) or 84.
_PHONE_RE = re.compile(
    rf"(?<![\w+])(?:\(\+84\)|\+84|84|0){_SEP}(?:[35789](?:{_SEP}\d){{8}}|2\d(?:{_SEP}\d){{8}})(?!\d)"
)

_CONTACT_RE = re.compile(
    r"(?i)(?:người liên hệ|đầu mối liên hệ|cán bộ đầu mối|người phụ trách|liên hệ)\s*[:\-–]?\s*"
    r"(?:(?:đồng chí|đ/c|ông|bà|anh|chị)\.?\s+)?"
)
_NAME_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass
class Redactor:
    """Redacts texts for one request and restores the model's reply; one instance per request."""

    person_names: bool = False
    values: dict[str, str] = field(default_factory=dict)  # placeholder -> original
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._by_value:
            number = sum(1 for k, _ in self._by_value if k == kind) + 1
            placeholder = f"[{PLACEHOLDER_LABELS[kind]}_{number}]"
            self._by_value[key] = placeholder
            self.values[placeholder] = value
        self.counts[kind] += 1
        return self._by_value[key]

    def _sub_group(self, pattern: re.Pattern[str], kind: str, text: str, valid: Callable[[str], bool]) -> str:
        def replace(match: re.Match[str]) -> str:
            value = match.group("value")
            if not valid(value):
                return match.group(0)
            start, end = match.span("value")
            offset = match.start()
            whole = match.group(0)
            return whole[: start - offset] + self._placeholder(kind, value) + whole[end - offset :]

        return pattern.sub(replace, text)

    def redact(self, text: str) -> str:
        text = _EMAIL_RE.sub(lambda m: self._placeholder("email", m.group(0)), text)
        text = self._sub_group(_ID_LABELLED_RE, "id_number", text, _is_id_number)
        text = _ID_BARE_RE.sub(lambda m: self._placeholder("id_number", m.group(0)), text)
        text = self._sub_group(_BANK_RE, "bank_account", text, _is_bank_account)
        text = _PHONE_RE.sub(lambda m: self._placeholder("phone", m.group(0)), text)
        if self.person_names:
            text = self._redact_contact_names(text)
        return text

    def _redact_contact_names(self, text: str) -> str:
        out: list[str] = []
        position = 0
        for match in _CONTACT_RE.finditer(text):
            if match.start() < position:
                continue
            name_start = match.end()
            words = list(_NAME_WORD_RE.finditer(text, name_start))
            taken: list[re.Match[str]] = []
            cursor = name_start
            for word in words:
                gap = text[cursor : word.start()]
                if gap.strip() or not word.group(0)[0].isupper() or len(taken) == 5:
                    break
                taken.append(word)
                cursor = word.end()
            if len(taken) < 2:
                continue
            end = taken[-1].end()
            out.append(text[position:name_start])
            out.append(self._placeholder("person_name", text[name_start:end]))
            position = end
        out.append(text[position:])
        return "".join(out)

    def restore(self, text: str) -> str:
        """The reply with every placeholder this redactor wrote put back; unknown placeholders are left."""
        if "[" not in text:
            return text
        for placeholder, value in self.values.items():
            text = text.replace(placeholder, value)
        return text


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _is_id_number(value: str) -> bool:
    return len(_digits(value)) in (9, 12)


def _is_bank_account(value: str) -> bool:
    return 6 <= len(_digits(value)) <= 19


def redaction_counts(redactors: list[Redactor]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for redactor in redactors:
        total.update(redactor.counts)
    return dict(sorted(total.items()))
