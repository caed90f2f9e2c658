"""Theme quality of the offline summarizer against the hand-labelled gold clustering (`theme_gold.toml`).

Prints, per similarity threshold, the pairwise precision/recall/F1 (over all pairs of statements of a
section: "are these two under the same heading?"), purity and inverse purity, and how many themes were
found against the gold count. Run: `python -m benchmarks.bench_themes`.
"""

from __future__ import annotations

import argparse
import tomllib
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from tonghop.summarize.similarity import Idf, cluster, features

GOLD_FILE = Path(__file__).resolve().with_name("theme_gold.toml")


def load_gold(path: Path = GOLD_FILE) -> list[tuple[str, str, str]]:
    """(section, gold theme, text) rows."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [(row["section"], row["theme"], row["text"]) for row in data["statement"]]


GOLD = load_gold()


def evaluate(threshold: float, gold: list[tuple[str, str, str]] = GOLD) -> dict[str, float]:
    """Pairwise precision/recall/F1, purity, inverse purity and theme counts at one threshold."""
    by_section: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for section, label, text in gold:
        by_section[section].append((label, text))
    idf = Idf.of([features(text) for _, _, text in gold])
    tp = fp = fn = 0
    purity_hits = inverse_hits = total = found = gold_count = 0
    for rows in by_section.values():
        labels = [label for label, _ in rows]
        groups = cluster([text for _, text in rows], threshold, idf)
        predicted = {i: g for g, members in enumerate(groups) for i in members}
        for a, b in combinations(range(len(rows)), 2):
            same_gold = labels[a] == labels[b]
            same_pred = predicted[a] == predicted[b]
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
        for members in groups:
            purity_hits += Counter(labels[i] for i in members).most_common(1)[0][1]
        gold_groups: dict[str, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            gold_groups[label].append(i)
        for members in gold_groups.values():
            inverse_hits += Counter(predicted[i] for i in members).most_common(1)[0][1]
        total += len(rows)
        found += len(groups)
        gold_count += len(gold_groups)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "purity": purity_hits / total,
        "inverse_purity": inverse_hits / total,
        "themes": found,
        "gold_themes": gold_count,
    }


def corpus_gold(communes: int, seed: int = 2026) -> list[tuple[str, str, str]]:
    """The statements of `communes` generated reports (duplicates included, as in a real round), labelled
    by the generator's own statement lists: a variant is labelled with the statement it rewords."""
    from benchmarks import corpus

    labels: dict[str, tuple[str, str]] = {}
    for section, canon, variants in (
        ("results", corpus.RESULTS, corpus.RESULT_VARIANTS),
        ("difficulties", corpus.DIFFICULTIES, corpus.DIFFICULTY_VARIANTS),
        ("causes", corpus.CAUSES, []),
        ("directions", corpus.DIRECTIONS, []),
        ("proposals", corpus.PROPOSALS, corpus.PROPOSAL_VARIANTS),
    ):
        for i, text in enumerate(canon):
            labels[text] = (section, f"{section}-{i}")
        for i, text in enumerate(variants):
            labels[text] = (section, f"{section}-{i}")
    rows = []
    for n in range(communes):
        spec = corpus.random_spec(f"Xã {n}", "Nghệ An", seed + n)
        for name in ("results", "difficulties", "causes", "directions", "proposals"):
            for text in getattr(spec, name):
                section, label = labels[text]
                rows.append((section, label, text))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--thresholds", default="0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.5,0.6")
    parser.add_argument(
        "--corpus", type=int, default=0, help="also score N generated reports (benchmarks/corpus.py)"
    )
    args = parser.parse_args()
    sets = [("Tập chuẩn gán nhãn tay", GOLD)]
    if args.corpus:
        sets.append((f"{args.corpus} báo cáo sinh tự động", corpus_gold(args.corpus)))
    for name, gold in sets:
        _report(name, gold, [float(t) for t in args.thresholds.split(",")])


def _report(name: str, gold: list[tuple[str, str, str]], thresholds: list[float]) -> None:
    print(f"{name}: {len(gold)} câu, {len({(s, label) for s, label, _ in gold})} chủ đề chuẩn")
    print("ngưỡng  P     R     F1    purity inv.purity chủ đề/chuẩn")
    for threshold in thresholds:
        r = evaluate(threshold, gold)
        print(
            f"{r['threshold']:<6} {r['precision']:.2f}  {r['recall']:.2f}  {r['f1']:.2f}  "
            f"{r['purity']:.2f}   {r['inverse_purity']:.2f}       {r['themes']}/{r['gold_themes']}"
        )


if __name__ == "__main__":
    main()
