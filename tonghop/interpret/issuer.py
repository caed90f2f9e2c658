"""The issuer of a document as a record: which kind of body speaks, the block as written, and its commune.

A commune's paperwork is not only the People's Committee's: the Fatherland Front, the Party committee, the
unions and the committees of an election all write with the same header. The analyst must see who wrote a
document before it is counted as the commune's report, so the block above the number is read line by line
against the body kinds of `schemas/issuers.toml`.
"""

from __future__ import annotations

from schemas.report import Issuer, IssuerKind
from tonghop.interpret.body_kinds import STANDING, load_body_kinds
from tonghop.interpret.units import COMMUNE, PROVINCE, find_mentions
from tonghop.interpret.vocabulary import Vocabulary, key

MAX_BLOCK_LINES = 5


def _clean(line: str) -> str:
    return " ".join(line.strip().strip("/\\|-–").split())


def read_issuer(lines: list[str], vocab: Vocabulary, fallback: str | None = None) -> Issuer | None:
    """The issuer of a header block (`lines`), or of the body named in the text (`fallback`, such as
    "UBND xã Diễn Châu" from the first sentence) when the header has no block; None when neither exists.

    The last line with a kind is the body that speaks; the one before it is its parent. A block with no
    kind word that names a unit ("XÃ DIỄN CHÂU") is the shorthand of a People's Committee.
    """
    block = [c for c in (_clean(line) for line in lines) if c and key(c) not in vocab.doc_titles]
    block = block[:MAX_BLOCK_LINES]
    if not block and fallback:
        block = [_clean(fallback)]
    if not block:
        return None
    kinds = load_body_kinds()
    kind: str | None = None
    parent: str | None = None
    for line in block:
        found = kinds.kind_of(line)
        if found is None or found == STANDING:
            continue
        if kind is None:
            kind = found
        else:
            parent, kind = kind, found
    mentions = [m for line in block for m in find_mentions(line, vocab)]
    commune = next((m.text for m in mentions if m.level == COMMUNE), None)
    if kind is None:
        kind = IssuerKind.UBND.value if any(m.level < PROVINCE for m in mentions) else IssuerKind.OTHER.value
    return Issuer(
        kind=IssuerKind(kind),
        parent_kind=IssuerKind(parent) if parent else None,
        name=" / ".join(block),
        lines=block,
        commune=commune,
    )


def counted(issuer: Issuer | None, kinds: list[str]) -> bool:
    """Whether the issuer answers the round: its kind is listed (`ubnd`), or its kind under its parent's
    (`ubnd/department`); a document whose issuer is unknown is not turned away on that ground."""
    if issuer is None:
        return True
    wanted = {k.strip().casefold() for k in kinds}
    own = issuer.kind.value
    return own in wanted or (issuer.parent_kind is not None and f"{issuer.parent_kind.value}/{own}" in wanted)
