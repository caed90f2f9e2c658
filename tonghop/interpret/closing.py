"""The end of a document: where the body stops, `Nơi nhận`, and who signs.

The body ends at the closing line (`Trên đây là…`, `…./.`), at `Nơi nhận` or at the signature block,
whichever comes first. The signature block is upper-case authority lines (`TM. ỦY BAN NHÂN DÂN`,
`KT. CHỦ TỊCH`, `PHÓ CHỦ TỊCH`) followed by the signer's name; in a signature table only the lines of the
same cell belong to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tonghop.interpret.lines import Line, is_decor
from tonghop.interpret.vocabulary import Vocabulary, contains_phrase, key, starts_with_phrase

MAX_NAME_DISTANCE = 12
_END_MARK = re.compile(r"\./\.\s*$")
_ENTRY_END = re.compile(r"[;.:]\s*$")


@dataclass
class Closing:
    body_end: int  # block position where the body stops (exclusive)
    closing_text: str | None = None
    cc: list[str] = field(default_factory=list)
    signer_name: str | None = None
    signer_title: str | None = None


def is_authority(line: Line, vocab: Vocabulary) -> bool:
    """`TM. ỦY BAN NHÂN DÂN`, `KT. GIÁM ĐỐC`, `Q. CHỦ TỊCH`, or a bare upper-case `CHỦ TỊCH`."""
    if not line.upper:
        return False
    text = line.full_text.upper()
    if any(text.startswith(a + " ") or text.startswith(a.rstrip(".") + " ") for a in vocab.authorities):
        return True
    return line.key in vocab.signer_titles


def is_cc(line: Line, vocab: Vocabulary) -> bool:
    return any(starts_with_phrase(line.key, p) for p in vocab.cc)


def _in_signature_table(line: Line) -> bool:
    return bool(getattr(line.block, "in_signature_table", False))


def find_body_end(lines: list[Line], start: int, vocab: Vocabulary) -> tuple[int, str | None]:
    """(block position where the body stops, the closing sentence if one ended it).

    A closing sentence typed as a list item (`- … ./.`) is still content: the body stops after it.
    """
    for line in lines:
        if line.pos < start:
            continue
        if is_cc(line, vocab) or is_authority(line, vocab) or _in_signature_table(line):
            return line.pos, None
        if line.in_table:
            continue
        if line.is_list_item or line.is_numbered:
            if _END_MARK.search(line.text):
                return line.pos + 1, None
        elif vocab.is_closing(line.text):
            return line.pos, line.text
    return (lines[-1].pos + 1 if lines else start), None


def _clean_entry(text: str) -> str:
    return text.strip().lstrip("-–•+ ").rstrip(" ;,.").strip()


def _same_place(a: Line, b: Line) -> bool:
    return a.container == b.container if (a.in_table or b.in_table) else True


def parse_cc(lines: list[Line], vocab: Vocabulary) -> list[str]:
    """`Nơi nhận:` and the `- …;` lines under it, in the same cell when it sits in a table."""
    for i, line in enumerate(lines):
        if not is_cc(line, vocab):
            continue
        entries = []
        inline = line.text.split(":", 1)[1].strip() if ":" in line.text else ""
        if inline:
            entries.append(_clean_entry(inline))
        previous = line.text
        for following in lines[i + 1 :]:
            if not _same_place(line, following):
                break
            if not following.is_list_item:
                if following.upper and not following.in_table:
                    continue  # the signature typed beside the list, in the same paragraphs
                if (
                    entries
                    and not _ENTRY_END.search(previous)
                    and not is_decor(following.text)
                    and not is_person_name(following.full_text, vocab)
                ):
                    # A recipient wrapped onto a line of its own ("- Ban Thường trực Ủy ban MTTQ" /
                    # "Việt Nam tỉnh (b/c);"): it belongs to the recipient above, and the list goes on.
                    previous = f"{previous} {following.text}"
                    entries[-1] = _clean_entry(previous)
                    continue
                break
            entries.append(_clean_entry(following.text))
            previous = following.text
        return [e for e in entries if e]
    return []


def is_person_name(text: str, vocab: Vocabulary) -> bool:
    """`Lê Viết Nam`, `HỒ VĂN MƯỜI`: two to seven capitalised words, no digits, not a title."""
    words = text.split()
    if not 2 <= len(words) <= 7 or len(text) > 60 or any(ch.isdigit() for ch in text):
        return False
    if not all(w[0].isupper() and w.replace("-", "").isalpha() for w in words):
        return False
    k = key(text)
    return not any(contains_phrase(k, t) for t in (*vocab.signer_titles, *vocab.bodies))


def _signature_block(lines: list[Line], start: int, vocab: Vocabulary) -> list[Line]:
    """The authority line and what follows it in the same cell (or, in paragraphs, up to the name)."""
    first = lines[start]
    block = [first]
    for following in lines[start + 1 : start + 1 + MAX_NAME_DISTANCE]:
        if not _same_place(first, following):
            break
        if is_cc(following, vocab) or following.is_list_item:
            if following.in_table:
                break
            continue  # `Nơi nhận` typed beside the signature, in the same paragraphs
        if is_decor(following.text) or any(starts_with_phrase(following.key, n) for n in vocab.not_names):
            continue
        is_name = is_person_name(following.full_text, vocab)
        if not following.upper and not is_name:
            break
        block.append(following)
        if is_name and not following.upper and not following.in_table:
            break
    return block


def parse_signer(lines: list[Line], vocab: Vocabulary) -> tuple[str | None, str | None]:
    """(name, title) of the first signature block among `lines` (the document after the body).

    The name is the last line of the block; an upper-case line counts as the name only when it ends
    the block. The title is the authority lines, without the collective `TM. …` line when others follow.
    """
    for i, line in enumerate(lines):
        if not is_authority(line, vocab):
            continue
        block = _signature_block(lines, i, vocab)
        names = [n for n, b in enumerate(block[1:], 1) if is_person_name(b.full_text, vocab)]
        mixed = [n for n in names if not block[n].upper]
        at = mixed[-1] if mixed else (names[-1] if names and names[-1] == len(block) - 1 else None)
        end = at if at is not None else len(block)
        titles = [b.full_text for b in block[:end] if b.upper]
        if len(titles) > 1 and titles[0].upper().startswith(("TM.", "T/M", "TM ")):
            titles = titles[1:]
        return (block[at].full_text if at is not None else None), " / ".join(titles) or None
    return None, None


def parse_closing(lines: list[Line], body_start: int, vocab: Vocabulary) -> Closing:
    """Body end, `Nơi nhận` and signer from physical lines in document order."""
    body_end, closing_text = find_body_end(lines, body_start, vocab)
    tail = [ln for ln in lines if ln.pos >= body_end]
    name, title = parse_signer(tail, vocab)
    return Closing(
        body_end=body_end,
        closing_text=closing_text,
        cc=parse_cc(tail, vocab),
        signer_name=name,
        signer_title=title,
    )
