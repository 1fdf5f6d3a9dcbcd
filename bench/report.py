"""Turn bench/results/bench.json into REPORT.md, cpu.png and latency.png; judge the targets.

The CPU targets (issue 16): hello world's CPU per request over each page's at least 0.15;
our interview at most half Wagtail's; a page at the largest size at most 1.3 times its
demo cost (SQLite); a page cache hit rate of 95% or more under mixed load; and each page's
SQL under 5 ms on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

RESULTS = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).resolve().parent / "results")
PAGES = ["home", "films", "film", "interviews", "interview", "screenings", "screening", "watch",
         "blog", "post", "tag", "search", "resources", "resource", "host", "host-film", "rsvp",
         "sitemap", "feed"]  # fmt: skip
GROWTH = ["interviews", "interview", "search", "sitemap", "feed"]
LIGHTHOUSE_KEYS = ("performance", "accessibility", "best-practices", "seo")
HELLO_SHARE, WAGTAIL_SHARE, GROWTH_LIMIT, HIT_RATE, SQL_MS = 0.15, 0.5, 1.3, 0.95, 5.0
PURGE_SECONDS = 1.0
SEARCH_P95_MS = 50  # at 100,000 interviews, on each database


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def size_label(size: int) -> str:
    return "demo" if size == 0 else f"{size:,}"


def beside(rows: dict, page: str) -> float | None:
    """Hello world's CPU measured beside ``page`` (older results: the run's one figure)."""
    return rows[page].get("beside_cpu_ms") or rows["hello"].get("cpu_ms")


def share(rows: dict, page: str) -> float | None:
    """Hello world's CPU over the page's: the median of the rounds run side by side (older
    results: the overall figures' ratio)."""
    if rows[page].get("share"):
        return rows[page]["share"]
    hello, cpu = beside(rows, page), rows[page].get("cpu_ms")
    return hello / cpu if hello and cpu else None


def growth_section(demo: dict, top: dict, paired: dict | None, missed: list[str]) -> list[str]:
    """Each page's cost at the largest SQLite size over the demo's.

    Judged on the paired measure (``bench/run.py``'s ``paired_growth``: both sizes served
    side by side, measured in alternating seconds) when the run has it; the sizes' own
    runs, minutes apart, are shown beside it, raw and in units of the hello world measured
    beside each page. Older results, with no pairs, are judged on the latter.
    """
    top_label = size_label(top["size"])
    pairs = (paired or {}).get("pages", {})
    lines = [f"## Cost as content grows (SQLite, {top_label} ÷ demo)", "",
             f"Target: ≤ {GROWTH_LIMIT} (CPU per request, page cache off, warm). "
             + ("*Paired*, the ratio judged: both sizes served side by side and each page "
                f"run in {paired['rounds']} pairs of a second, one on each, the order swapped "
                "every pair; the median of the pairs' ratios (hello world's own shows how far "
                "the machine moves a pair). *Sequential*: the sizes' own runs, minutes "
                "apart, raw and in units of the hello world measured beside each page."
                if pairs else
                "The two sizes run minutes apart on a shared machine, so each page's cost is "
                "taken in units of the hello world measured beside it (*in hello*), and the "
                "ratio judged is of those; the raw ratio is shown too."), "",
             f"| page | paired: demo ms | {top_label} ms | pairs | ratio "
             "| sequential: raw | in hello | target |",
             "| --- " * 8 + "|"]  # fmt: skip
    for page in [*PAGES, "hello"]:
        a, b = demo["cache_off"][page].get("cpu_ms"), top["cache_off"][page].get("cpu_ms")
        raw = b / a if a and b else None
        in_hello = None
        if page != "hello":
            share_a, share_b = share(demo["cache_off"], page), share(top["cache_off"], page)
            in_hello = share_a / share_b if share_a and share_b else None
        row = pairs.get(page, {})
        ratio = row.get("ratio") if pairs else in_hello
        ok = ratio is not None and ratio <= GROWTH_LIMIT
        if page != "hello" and not ok:
            missed.append(f"sqlite: `{page}` CPU {top_label} ÷ demo "
                          f"{ratio if ratio is None else round(ratio, 2)}")  # fmt: skip
        listed = ", ".join(f"{r:.2f}" for r in row.get("ratios", []))
        judged = row.get("ratio")
        lines.append(
            f"| {page} | {ms(row.get('demo_ms'))} | {ms(row.get('large_ms'))} | {listed} "
            f"| {'' if judged is None else f'{judged:.2f}'} "
            f"| {'' if raw is None else f'{raw:.2f}'} "
            f"| {'' if in_hello is None else f'{in_hello:.2f}'} "
            f"| {'' if page == 'hello' else verdict(ok)} |"
        )
    return [*lines, ""]


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


def plot_cpu(data: dict) -> None:
    """CPU per request by size, one panel per database, with hello world's and Wagtail's."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = data["runs"]
    kinds = sorted({run["database"] for run in runs})
    figure, axes = plt.subplots(1, len(kinds), figsize=(7 * len(kinds), 5), squeeze=False)
    for axis, kind in zip(axes[0], kinds, strict=True):
        mine = sorted((r for r in runs if r["database"] == kind), key=lambda r: r["size"])
        labels = [size_label(r["size"]) for r in mine]
        for n, page in enumerate(PAGES):
            axis.plot(labels, [nan_if_none(r["cache_off"][page].get("cpu_ms")) for r in mine],
                      marker="o", linestyle="-" if n < 10 else "-.", label=page)  # fmt: skip
        axis.plot(labels, [nan_if_none(r["cache_off"]["hello"].get("cpu_ms")) for r in mine],
                  "k--", marker="s", label="hello world")  # fmt: skip
        wagtail = data.get("wagtail", {}).get(kind, {}).get("cpu_ms")
        if wagtail is not None:
            axis.plot(labels, [wagtail] * len(labels), "r:", marker="x", linewidth=2,
                      label="Wagtail 8 interview (demo)")  # fmt: skip
        axis.set_yscale("log")
        axis.set_title(f"{kind}: server CPU per request, page cache off (warm)")
        axis.set_xlabel("generated interviews")
        axis.set_ylabel("ms CPU / request (one gunicorn worker)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(RESULTS / "cpu.png", dpi=110)


def varnish_lines(varnish: dict | None, missed: list[str]) -> list[str]:
    """The purge latency through Varnish and its verdict (target: under a second)."""
    title = "Varnish purge latency (bench/varnish_purge.py, commit to the new page served)"
    if varnish is None:
        return [f"{title}: not measured.", ""]
    if "error" in varnish:
        missed.append(f"Varnish purge: {varnish['error'][:120]}")
        return [f"{title}: failed: {varnish['error']}", ""]
    ok = varnish["max_seconds"] < PURGE_SECONDS
    if not ok:
        missed.append(f"Varnish purge took up to {varnish['max_seconds']} s")
    return [f"{title}: median {varnish['median_seconds']:.3f} s, max "
            f"{varnish['max_seconds']:.3f} s over {varnish['rounds']} rounds on "
            f"`{varnish['page']}`, {varnish['stale_hits_seen']} stale hits seen meanwhile "
            f"(target < {PURGE_SECONDS:.0f} s): {verdict(ok)}.", ""]  # fmt: skip


def hit_rate_changes() -> list[str]:
    """The hit rate before and after a change, when bench/cache_load.py --hit-rate gave them.

    hit-rate.json holds, per label (``before``: the code as it was, from a worktree of an
    older commit; ``after``: this checkout), per database, ``mixed``'s figures.
    """
    path = RESULTS / "hit-rate.json"
    if not path.exists():
        return []
    recorded = json.loads(path.read_text())
    lines = ["", "Measured apart by `bench/cache_load.py --hit-rate LABEL` (each on a fresh "
             "database with the demo and the generated interviews, Redis as the page cache):",
             "", "| code | commit | database | size | pages | seconds | edits | reads "
             "| hit rate |", "| --- " * 9 + "|"]  # fmt: skip
    for label, kinds in recorded.items():
        for kind, found in kinds.items():
            rate = found.get("hit_rate")
            lines.append(f"| {label} | {found.get('commit', '')} | {kind} "
                         f"| {size_label(found['size'])} | {found['pages']} "
                         f"| {found['seconds']:.0f} | {found['edits']} | {found['reads']} "
                         f"| {'' if rate is None else f'{rate:.1%}'} |")  # fmt: skip
    return lines


def cpu_sections(data: dict, missed: list[str]) -> list[str]:
    """The CPU tables and the verdicts on the CPU, hit-rate and SQL targets."""
    runs = data["runs"]
    lines = ["## Server CPU per request", "",
             "One gunicorn sync worker; its user + system time from `/proc/<pid>/stat` before "
             "and after each URL's wrk run, divided by the requests wrk counted. *warm*: after "
             "a warm-up pass (fragment caches filled), page cache off; *cold*: the first "
             f"request after the cache server is flushed (mean of {data.get('cold_requests')}); "
             "*cached*: page cache on. *hello beside*: hello world's CPU measured beside "
             "the page's warm runs, on the same worker: the machine is shared, and its speed "
             "moves from one second to the next, so the page runs in rounds of a second, each "
             "after a second of hello world. hello ÷ page: the median of the rounds' ratios "
             f"(*rounds*; results before rounds: the overall ratio); target ≥ {HELLO_SHARE}.",
             ""]  # fmt: skip
    for run in runs:
        label = f"{run['database']}, {size_label(run['size'])}"
        off, on = run["cache_off"], run["cache_on"]
        lines += [f"### {label}", "",
                  "| page | warm ms | cold ms | cached ms | req/s warm | hello beside ms "
                  "| hello ÷ page | rounds | target |", "| --- " * 9 + "|"]  # fmt: skip
        for page in [*PAGES, "hello", "static"]:
            cpu = off[page].get("cpu_ms")
            ratio = share(off, page)
            judged = ""
            if page in PAGES and ratio is not None:
                judged = verdict(ratio >= HELLO_SHARE)
                if ratio < HELLO_SHARE:
                    missed.append(f"{label}: `{page}` hello ÷ page CPU {ratio:.3f} < {HELLO_SHARE}")
            rounds = ", ".join(f"{r:.2f}" for r in off[page].get("shares", []))
            lines.append(f"| {page} | {ms(cpu)} | {ms(off[page].get('cold_cpu_ms'))} "
                         f"| {ms(on[page].get('cpu_ms'))} | {off[page]['rps']:.0f} "
                         f"| {ms(off[page].get('beside_cpu_ms'))} "
                         f"| {'' if ratio is None else f'{ratio:.3f}'} | {rounds} "
                         f"| {judged} |")  # fmt: skip
        lines.append("")
    lines += ["## Against Wagtail 8", "",
              "The demo's reference interview in a minimal Wagtail 8 project (bench/"
              "wagtail_peer_site: a page with a StreamField of question/answer blocks, its hero "
              "image as a srcset), one gunicorn sync worker, DEBUG off, same database server, "
              f"same run. Target: ours ÷ Wagtail's ≤ {WAGTAIL_SHARE}.", "",
              "| database | size | Wagtail ms | ours ms (warm) | ours ÷ Wagtail | target |",
              "| --- " * 6 + "|"]  # fmt: skip
    for kind, peer in data.get("wagtail", {}).items():
        if "error" in peer:
            lines.append(f"| {kind} | | Wagtail peer unavailable: {peer['error'][:200]} ||||")
            missed.append(f"{kind}: no Wagtail figure ({peer['error'][:80]})")
            continue
        for run in (r for r in runs if r["database"] == kind):
            ours = run["cache_off"]["interview"].get("cpu_ms")
            of_peer = ours / peer["cpu_ms"] if ours and peer.get("cpu_ms") else None
            ok = of_peer is not None and of_peer <= WAGTAIL_SHARE
            if not ok:
                missed.append(
                    f"{kind}, {size_label(run['size'])}: interview at "
                    f"{of_peer if of_peer is None else round(of_peer, 2)} of Wagtail's CPU"
                )
            lines.append(f"| {kind} | {size_label(run['size'])} | {ms(peer.get('cpu_ms'))} "
                         f"| {ms(ours)} | {'' if of_peer is None else f'{of_peer:.2f}'} "
                         f"| {verdict(ok)} |")  # fmt: skip
    versions = {p.get("version") for p in data.get("wagtail", {}).values() if "version" in p}
    lines += ["", f"Wagtail version: {', '.join(sorted(versions)) or 'none'}.", ""]
    sqlite = sorted((r for r in runs if r["database"] == "sqlite"), key=lambda r: r["size"])
    if len(sqlite) > 1:
        lines += growth_section(sqlite[0], sqlite[-1], data.get("growth"), missed)
    lines += ["## Page cache hit rate under mixed load", "",
              "Page cache on (Redis): threads read pages at random among up to 1,000 "
              "(interviews, films, posts, tags, lists) while another process saves one edit a "
              "second through the ORM (an interview's intro or a post's body); the share of "
              f"`X-Cache: hit` answers. Target ≥ {HIT_RATE:.0%}.", "",
              "| database | size | pages | seconds | edits | reads | answers | hit rate "
              "| target |", "| --- " * 9 + "|"]  # fmt: skip
    for kind, mixed in data.get("mixed", {}).items():
        rate = mixed.get("hit_rate")
        ok = rate is not None and rate >= HIT_RATE
        if not ok:
            missed.append(f"{kind}: page cache hit rate {rate} under mixed load")
        lines.append(f"| {kind} | {size_label(mixed['size'])} | {mixed['pages']} "
                     f"| {mixed['seconds']:.0f} | {mixed['edits']} | {mixed['reads']} "
                     f"| {mixed['answers']} | {'' if rate is None else f'{rate:.1%}'} "
                     f"| {verdict(ok)} |")  # fmt: skip
    lines += hit_rate_changes()
    sql = data.get("sql") or {}
    if sql:
        lines += [
            "",
            f"## SQL per page on PostgreSQL ({size_label(sql['size'])})",
            "",
            "Each page's queries, captured through Django's test client and run again "
            "under `EXPLAIN (ANALYZE, BUFFERS)`: planning + execution as PostgreSQL "
            f"reports them, summed (target < {SQL_MS:.0f} ms), beside the time Django "
            "measured round trips included.",
            "",
            "| page | queries | plans ms | Django ms | target |",
            "| --- " * 5 + "|",
        ]
        for page, found in sql["pages"].items():
            ok = found["plan_ms"] < SQL_MS
            if not ok:
                missed.append(f"postgresql: `{page}` SQL {found['plan_ms']:.1f} ms")
            lines.append(f"| {page} | {len(found['queries'])} | {found['plan_ms']:.2f} "
                         f"| {found['django_ms']:.2f} | {verdict(ok)} |")  # fmt: skip
        lines.append("")
        for page, found in sql["pages"].items():
            lines += [f"<details><summary>{page}: {len(found['queries'])} queries, "
                      f"{found['plan_ms']:.2f} ms</summary>", ""]  # fmt: skip
            for query in found["queries"]:
                lines += ["```sql", query["sql"], "```"]
                if "plan" in query:
                    lines += ["```", query["plan"], "```"]
            lines += ["", "</details>", ""]
    lines += ["", "## Other measurements", ""]
    for kind in ("sqlite", "postgresql"):
        path = RESULTS / f"search-latency-{kind}.json"
        if path.exists():
            search = json.loads(path.read_text())
            lines += [
                f"Search latency, {kind} (bench/search_latency.py): each search made afresh, "
                f"then the same search served from its kept results (target: p95 under "
                f"{SEARCH_P95_MS} ms at 100,000 interviews).",
                "",
                "| size | query | results | median ms | p95 ms | target | kept: median ms |",
                "| --- " * 7 + "|",
            ]
            for row in search["rows"]:
                judged = "100,000" in row["size"]
                ok = row["p95_ms"] < SEARCH_P95_MS
                if judged and not ok:
                    missed.append(f"{kind}: search `{row['query']}` p95 {row['p95_ms']} ms "
                                  f"≥ {SEARCH_P95_MS} at {row['size']}")  # fmt: skip
                lines.append(
                    f"| {row['size']} | `{row['query']}` | {row['results']} | "
                    f"{row['median_ms']} | {row['p95_ms']} | {verdict(ok) if judged else ''} | "
                    f"{row.get('kept_median_ms', '')} |"
                )
            lines.append("")
    lines += varnish_lines(data.get("varnish"), missed)
    return lines


def lighthouse_lines(pages: dict, missed: list[str]) -> list[str]:
    """The Lighthouse table, page × preset × category, and why a score is under 100.

    Target (issue 17): 100 in all four categories on every indexable page type, mobile and
    desktop, each the median of three runs. A page with a robots noindex is listed, not scored.
    """
    lines = ["## Lighthouse (demo, SQLite, cache on)", "",
             "Each score the median of three runs (their performance scores in brackets); "
             "LCP, TBT and CLS from the median performance run; *CPU*: Lighthouse's "
             "benchmark index per run (lower on a busy machine, which lowers the simulated "
             "performance). Target: 100 everywhere.", "",
             "| page | preset | performance | accessibility | best practices | SEO "
             "| LCP | TBT | CLS | CPU |", "| --- " * 10 + "|"]  # fmt: skip
    why = []
    for page, found in pages.items():
        if "indexable" not in found:  # a run from before the presets: one mobile score
            found = {"indexable": True, "mobile": found if "error" in found else {
                "scores": found, "runs": [found], "failing": {}, "metrics": {}}}  # fmt: skip
        if not found["indexable"]:
            lines.append(
                f"| {page} | – | not indexable (`{found['robots']}`): not scored |||||||| "
            )
            continue
        for preset in ("mobile", "desktop"):
            result = found.get(preset)
            if result is None:
                continue
            if "error" in result:
                lines.append(f"| {page} | {preset} | Lighthouse failed: {result['error'][:80]} "
                             "||||||||")  # fmt: skip
                missed.append(f"Lighthouse `{page}` {preset}: no score (the runs failed)")
                continue
            scores, metrics = result["scores"], result.get("metrics", {})
            spread = "/".join(str(run["performance"]) for run in result["runs"])
            cpu = "/".join(f"{n:.0f}" for n in result.get("benchmark_index", []) if n)
            cells = [f"{scores['performance']} ({spread})"] + [
                str(scores[key]) if scores[key] == 100 else f"**{scores[key]}**"
                for key in LIGHTHOUSE_KEYS[1:]
            ]
            if scores["performance"] < 100:
                cells[0] = f"**{scores['performance']}** ({spread})"
            lines.append(f"| {page} | {preset} | " + " | ".join(cells) + f" | "
                         f"{metrics.get('largest-contentful-paint', '')} "
                         f"| {metrics.get('total-blocking-time', '')} "
                         f"| {metrics.get('cumulative-layout-shift', '')} | {cpu} |")  # fmt: skip
            for key in LIGHTHOUSE_KEYS:
                if scores[key] < 100:
                    missed.append(f"Lighthouse `{page}` {preset} {key} {scores[key]} < 100")
                    audits = result.get("failing", {}).get(key, [])
                    listed = "; ".join(
                        f"`{a['id']}` {a['title']} (score {a['score']:.2f}, weight "
                        f"{a['weight']}{', ' + a['value'] if a['value'] else ''})"
                        for a in audits[:8]
                    )
                    why.append(f"- {page}, {preset}, {key} {scores[key]}: {listed or '?'}")
    if why:
        lines += ["", "Below 100, the median run's failing audits (heaviest first):", "", *why]
    return lines


def lighthouse_main() -> None:
    """`report.py lighthouse`: LIGHTHOUSE.md from lighthouse.json (BENCH_ONLY=lighthouse)."""
    data = json.loads((RESULTS / "lighthouse.json").read_text())
    missed = []
    lines = ["# Lighthouse report (BENCH_ONLY=lighthouse)", "",
             f"On {data['cores']} cores; the rest of `make bench` not run.", "",
             *lighthouse_lines(data["lighthouse"], missed)]  # fmt: skip
    lines += ["", "## Targets not met", ""] + ([f"- {m}" for m in missed] or ["- none"])
    (RESULTS / "LIGHTHOUSE.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


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
        "![server CPU per request against content size](cpu.png)",
        "![median latency against content size](latency.png)",
        "",
    ]
    missed = []
    slower = []  # the first bench's throughput ratios, kept for comparison, not issue 16's
    if data.get("quick"):
        lines[2:2] = ["**BENCH_QUICK=1: a smoke run of the machinery (demo only, short loads); "
                      "its figures are not the benchmark's.**", ""]  # fmt: skip
    cpu_lines = cpu_sections(data, missed)
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
                    slower.append(f"{label}: `{page}` uncached at {ratio_off:.2f} of hello")
                if ratio_on < 0.9:
                    slower.append(f"{label}: `{page}` cached at {ratio_on:.2f} of hello")
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
        lines += ["", *lighthouse_lines(lighthouse, missed)]
    lines += ["", *cpu_lines]
    lines += ["", "## Targets not met", ""] + ([f"- {m}" for m in missed] or ["- none"])
    lines += ["", "## Throughput under the first bench's ratios", "",
              "The first bench's wall-clock goals (uncached ≥ 0.5 and cached ≥ 0.9 of hello "
              "world's requests per second), kept for comparison. wrk and the server share "
              "two cores, so these move with the machine's load; CPU per request above is "
              "the measure the targets use.", ""]  # fmt: skip
    lines += [f"- {m}" for m in slower] or ["- all met"]
    (RESULTS / "REPORT.md").write_text("\n".join(lines) + "\n")
    plot(runs)
    plot_cpu(data)
    print("\n".join(lines))


if __name__ == "__main__":
    lighthouse_main() if sys.argv[1:] == ["lighthouse"] else main()
