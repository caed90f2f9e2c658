"""Unit resolution at national scale: every commune of the roster, written the ways clerks write it.

Resolution runs once per inbox file (3,321+ files in a national run), so the indexes are built once per
process and a lookup must cost little. Prints the one-off costs (roster, legacy dataset) and the time per
resolution for each spelling: exact header, NFD, no diacritics, a dropped tone mark, a letter typo (fuzzy),
a legacy district, plus how many resolved to the right unit.

    .venv/bin/python benchmarks/bench_resolve.py
    .venv/bin/python benchmarks/bench_resolve.py --units 500
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _drop_one_mark(name: str) -> str:
    """`Diễn Châu` → `Diên Châu`: the first tone mark removed, as in a hurried header."""
    decomposed = unicodedata.normalize("NFD", name)
    for i, ch in enumerate(decomposed):
        if ch in "\u0300\u0301\u0303\u0309\u0323":
            return unicodedata.normalize("NFC", decomposed[:i] + decomposed[i + 1 :])
    return name


def _typo(name: str) -> str:
    """A doubled last letter (`Nghĩa Đànn`): only the fuzzy search can recover it."""
    return name + name[-1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=None, help="communes to try (default: all 3,321)")
    args = parser.parse_args()

    started = time.perf_counter()
    from tonghop.text import strip_diacritics
    from tonghop.units.matching import match_unit
    from tonghop.units.roster import load_roster

    roster = load_roster()
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    _ = roster.legacy
    legacy_s = time.perf_counter() - started

    units = roster.units if args.units is None else roster.units[:: max(1, len(roster.units) // args.units)]
    spellings: dict[str, Callable[[str, str], str]] = {
        "UBND xã X (exact)": lambda division, short: f"UBND {division} {short}",
        "ỦY BAN NHÂN DÂN / XÃ X (upper, NFD)": lambda division, short: unicodedata.normalize(
            "NFD", f"ỦY BAN NHÂN DÂN\n{division.upper()} {short.upper()}"
        ),
        "xa X (no diacritics)": lambda division, short: strip_diacritics(f"{division} {short}"),
        "one tone mark dropped": lambda division, short: f"UBND {division} {_drop_one_mark(short)}",
        "typo (fuzzy)": lambda division, short: f"UBND {division} {_typo(short)}",
    }
    print(f"# {platform.node()} · Python {platform.python_version()} · {len(units)} communes")
    print(f"roster load: {load_s * 1000:.0f} ms · legacy dataset load: {legacy_s * 1000:.0f} ms")
    print(f"{'spelling':38} {'median µs':>10} {'p95 µs':>8} {'right':>7} {'ambiguous':>9} {'other':>6}")
    for label, spell in spellings.items():
        times: list[float] = []
        right = ambiguous = other = 0
        for unit in units:
            text = spell(unit.division, unit.short)
            t0 = time.perf_counter()
            result = match_unit(roster, text, province_hint=unit.province.name)
            times.append(time.perf_counter() - t0)
            if result.unit is not None and result.unit.code == unit.code:
                right += 1
            elif result.kind == "ambiguous":
                ambiguous += 1
            else:
                other += 1
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        median = statistics.median(times)
        print(f"{label:38} {median * 1e6:10.0f} {p95 * 1e6:8.0f} {right:7} {ambiguous:9} {other:6}")

    districts = [u for u in roster.legacy.units if u.kind == "district"]
    t0 = time.perf_counter()
    found = 0
    for d in districts:
        old_province = roster.legacy.provinces[d.province_key].name
        result = match_unit(roster, f"UBND {d.name}", province_text=old_province)
        found += result.unit is not None and result.unit.name == d.name
    per = (time.perf_counter() - t0) / len(districts)
    print(f"{'legacy district (huyện X, tỉnh cũ)':38} {per * 1e6:10.0f} {'':8} {found:7} of {len(districts)}")


if __name__ == "__main__":
    main()
