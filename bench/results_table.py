"""Rebuild bench/RESULTS.md from the runs in bench/results/*.json (bench/http_bench.py).

One table: a row per page (and the rush, the fan-out, the worker RSS), a column per run. A cell
reads ``req/s · % of bare · p50/p95 ms``. The analysis below the table is kept by hand in
bench/results/NOTES.md and copied in as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ORDER = ["before", "conn0", "nocache", "stop17", "stop18", "after"]


def _sort_key(run: dict[str, Any]) -> tuple[int, int, str]:
    label = run["label"]
    size = 0 if run["size"] == "large" else 1
    rank = next((i for i, prefix in enumerate(ORDER) if label.startswith(prefix)), len(ORDER))
    return size, rank, label


def _page_cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "–"
    cell = f"{row['rps']:.0f} · **{row['percent_of_bare']:.0f}%** · {row['p50_ms']:.0f}/{row['p95_ms']:.0f}"
    return cell + (f" · {row['errors']} err" if row["errors"] else "")


def _code(run: dict[str, Any]) -> str:
    return "this branch" if run["app_dir"].endswith("speed") else f"`{run['app_dir']}`"


def write_results(results_dir: Path, target: Path) -> None:
    runs = sorted((json.loads(p.read_text()) for p in results_dir.glob("*.json")), key=_sort_key)
    if not runs:
        return
    pages: list[str] = []
    for run in runs:
        for row in run.get("pages", []):
            if row["page"] not in pages:
                pages.append(row["page"])
    header = "| | " + " | ".join(f"{r['label']}" for r in runs) + " |"
    lines = [
        "# HTTP benchmark results",
        "",
        "Written by `make bench` (bench/http_bench.py, bench/results_table.py) from bench/results/*.json.",
        "A page cell reads **requests/s · share of the bare view in the same run · p50/p95 latency (ms)**,",
        f"at {runs[-1]['connections']} concurrent clients (wrk), gunicorn under production settings.",
        "",
        "## Machine",
        "",
    ]
    first = runs[-1]["machine"]
    lines += [f"- {key}: {value}" for key, value in first.items()]
    lines += ["", "## Runs", ""]
    for run in runs:
        data = run["data"]
        lines.append(
            f"- **{run['label']}** ({run['started']}): {data['companies']:,} companies, {data['events']:,} events, "
            f"{data['registrations']:,} registrations (built in {sum(run['build'].values()):.0f} s: {run['build']}); "
            f"server env {run['server_env'] or 'defaults'}; code {_code(run)}; "
            f"{run['rounds']}×{run['duration_s']:.0f} s per page and per bare run; load average "
            f"{run['load_average_start']} → {run['load_average_end']}"
        )
    lines += ["", "## Figures", "", header, "|" + "---|" * (len(runs) + 1)]
    by_run = [{row["page"]: row for row in run.get("pages", [])} for run in runs]
    bare = []
    for run in runs:
        rows = run.get("pages", [])
        bare.append(f"{sum(r['bare_rps'] for r in rows) / len(rows):.0f} req/s" if rows else "–")
    lines.append("| bare view (`{\"ok\": true}`), mean | " + " | ".join(bare) + " |")
    for page in pages:
        lines.append(f"| {page} | " + " | ".join(_page_cell(rows.get(page)) for rows in by_run) + " |")

    def rush(run: dict[str, Any]) -> str:
        r = run.get("rush")
        if not r:
            return "–"
        return (
            f"**{r['per_second']:.0f}/s** · p50/p95 {r['p50_ms']}/{r['p95_ms']} ms · "
            f"{r['confirmed']}/{r['waitlisted']}/{r['errors']} err"
        )

    def fanout(run: dict[str, Any]) -> str:
        f = run.get("fanout")
        if not f:
            return "–"
        if f.get("timed_out"):
            exact = "stopped by the time limit, none doubled"
        else:
            exact = "one each" if not f["registrations_without_exactly_one"] else "NOT one each"
        return f"**{f['per_second']:.0f}/s** · {f['received']:,} in {f['seconds']:.0f} s · {exact}"

    lines.append("| registration rush (confirmed/waitlisted/errors) | " + " | ".join(rush(r) for r in runs) + " |")
    lines.append("| reminder fan-out (e-mails to the SMTP sink) | " + " | ".join(fanout(r) for r in runs) + " |")
    lines.append(
        "| web worker RSS after the run (MB) | "
        + " | ".join(", ".join(str(x) for x in r.get("worker_rss_mb", [])) or "–" for r in runs)
        + " |"
    )
    notes = results_dir / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    target.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    write_results(here / "results", here / "RESULTS.md")
