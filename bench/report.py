"""Turn bench/results/bench.json into REPORT.md and latency.png, and judge the targets."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PAGES = ["home", "films", "film", "interviews", "interview", "screenings", "screening", "blog",
         "post", "tag", "search", "sitemap", "feed"]  # fmt: skip
GROWTH = ["interviews", "interview", "search", "sitemap", "feed"]


def size_label(size: int) -> str:
    return "demo" if size == 0 else f"{size:,}"


def nan_if_none(value: float | None) -> float:
    return float("nan") if value is None else value


def plot(runs: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = sorted({run["database"] for run in runs})
    figure, axes = plt.subplots(1, len(kinds), figsize=(6 * len(kinds), 4.5), squeeze=False)
    for axis, kind in zip(axes[0], kinds, strict=True):
        mine = sorted((r for r in runs if r["database"] == kind), key=lambda r: r["size"])
        sizes = [max(r["size"], 11) for r in mine]  # the demo has 11 searchable pages
        for page in GROWTH:
            axis.plot(sizes, [nan_if_none(r["cache_off"][page]["p50_ms"]) for r in mine],
                      marker="o", label=page)  # fmt: skip
        axis.plot(sizes, [r["cache_off"]["hello"]["p50_ms"] for r in mine], "k--",
                  label="hello world")  # fmt: skip
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(f"{kind}: median latency, cache off")
        axis.set_xlabel("interviews")
        axis.set_ylabel("ms (p50)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(RESULTS / "latency.png", dpi=110)


def main() -> None:
    data = json.loads((RESULTS / "bench.json").read_text())
    runs = data["runs"]
    lines = [
        "# Benchmark report",
        "",
        f"`make bench`: production settings under gunicorn on loopback, wrk -t2 "
        f"-c{data['connections']} for {data['seconds']} s per URL, on {data['cores']} cores "
        "shared by the server and the load generator. Ratio: the page's requests per second "
        "over Django's hello-world view's in the same run and mode.",
        "",
        "![median latency against content size](latency.png)",
        "",
    ]
    missed = []
    for run in runs:
        label = f"{run['database']}, {size_label(run['size'])}"
        lines += [f"## {label}", "",
                  "| page | queries | off: req/s | p50 | p99 | ratio | on: req/s | p50 | p99 "
                  "| ratio | errors |", "| --- " * 11 + "|"]  # fmt: skip
        hello = {mode: run[mode]["hello"]["rps"] for mode in ("cache_off", "cache_on")}
        for page in [*PAGES, "hello", "static"]:
            off, on = run["cache_off"][page], run["cache_on"][page]
            ratio_off, ratio_on = off["rps"] / hello["cache_off"], on["rps"] / hello["cache_on"]
            if page in PAGES:
                if ratio_off < 0.5:
                    missed.append(f"{label}: `{page}` uncached at {ratio_off:.2f} of hello")
                if ratio_on < 0.9:
                    missed.append(f"{label}: `{page}` cached at {ratio_on:.2f} of hello")
            lines.append(
                f"| {page} | {run['queries'].get(page, '')} | {off['rps']:.0f} | {off['p50_ms']} "
                f"| {off['p99_ms']} | {ratio_off:.2f} | {on['rps']:.0f} | {on['p50_ms']} "
                f"| {on['p99_ms']} | {ratio_on:.2f} | {off['errors'] + on['errors']} |"
            )
        if "import_articles_per_second" in run:
            lines += ["", f"Article import: {run['import_articles_per_second']} articles/s "
                      "(the reference article, 40 copies, `import_articles`)."]  # fmt: skip
        lines.append("")
    lines += ["## Query counts as content grows", "",
              "| database | page | " + " | ".join(size_label(s) for s in
                                                  sorted({r['size'] for r in runs})) + " |",
              "| --- " * (2 + len({r['size'] for r in runs})) + "|"]  # fmt: skip
    for kind in sorted({r["database"] for r in runs}):
        mine = sorted((r for r in runs if r["database"] == kind), key=lambda r: r["size"])
        for page in PAGES:
            counts = [r["queries"][page] for r in mine]
            lines.append(f"| {kind} | {page} | " + " | ".join(map(str, counts)) + " |")
            generated = [r["queries"][page] for r in mine if r["size"] >= 1000]
            if len(set(generated)) > 1:
                missed.append(f"{kind}: `{page}` query count not flat: {generated}")
    lighthouse = next((r["lighthouse"] for r in runs if r.get("lighthouse")), None)
    if lighthouse:
        lines += ["", "## Lighthouse (demo, SQLite, cache on)", "",
                  "| page | performance | accessibility | best practices | SEO |",
                  "| --- | --- | --- | --- | --- |"]  # fmt: skip
        for page, scores in lighthouse.items():
            if "error" in scores:
                lines.append(
                    f"| {page} | Lighthouse failed three times: {scores['error'][:80]} |||| "
                )
                missed.append(f"Lighthouse `{page}`: no score (the run failed)")
                continue
            lines.append(f"| {page} | {scores['performance']} | {scores['accessibility']} | "
                         f"{scores['best-practices']} | {scores['seo']} |")  # fmt: skip
            for key, floor in (("performance", 95), ("accessibility", 100),
                               ("best-practices", 100), ("seo", 100)):  # fmt: skip
                if scores[key] < floor:
                    missed.append(f"Lighthouse `{page}` {key} {scores[key]} < {floor}")
    lines += ["", "## Targets not met", ""] + ([f"- {m}" for m in missed] or ["- none"])
    (RESULTS / "REPORT.md").write_text("\n".join(lines) + "\n")
    plot(runs)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
