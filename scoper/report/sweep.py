"""``scoper scope --advisory all``: one summary row per advisory, then the details.

JSON (documented in docs/architecture.md)::

    {"as_of": null | "...Z",
     "sweep": [{"advisory", "aliases", "status", "environments", "sessions", "hosts",
                "credentials", "covered", "reasons"}],
     "reports": [<the scope object of each advisory with findings>]}

Table and markdown print the summary table, then each report with findings in that
format. Other formats render one advisory at a time: a usage error here.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

from scoper.errors import UsageError
from scoper.report.base import Renderer, RenderOptions
from scoper.report.json import write_json
from scoper.report.markdown import render_markdown
from scoper.report.serialize import scope_dict
from scoper.scope.sweep import SweepResult, SweepRow
from scoper.times import rfc3339

FORMATS = ("table", "json", "markdown")
COLUMNS = ("advisory", "status", "environments", "sessions", "hosts", "credentials", "covered")
HEADERS = ("advisory", "status", "envs", "sessions", "hosts", "creds", "covered")


def row_dict(row: SweepRow) -> dict[str, Any]:
    """One ``sweep[]`` member."""
    return {
        "advisory": row.advisory,
        "aliases": list(row.aliases),
        "status": row.status.value,
        "environments": row.environments,
        "sessions": row.sessions,
        "hosts": row.hosts,
        "credentials": row.credentials,
        "covered": row.covered,
        "reasons": list(row.reasons),
    }


def sweep_dict(result: SweepResult, list_cleared: bool = False) -> dict[str, Any]:
    """The ``--advisory all --format json`` object."""
    return {
        "as_of": rfc3339(result.as_of),
        "sweep": [row_dict(r) for r in result.rows],
        "reports": [scope_dict(r, list_cleared) for r in result.reports],
    }


def render_sweep(
    result: SweepResult, renderer: Renderer, out: TextIO, options: RenderOptions
) -> None:
    """Write the sweep in ``renderer``'s format (table, json or markdown)."""
    if renderer.name == "json":
        write_json(sweep_dict(result, options.cleared), out)
    elif renderer.name == "markdown":
        out.write(sweep_markdown(result))
    elif renderer.name == "table":
        _table(result, out)
        for report in result.reports:
            out.write("\n")
            renderer.render(report, out, options)
    else:
        raise UsageError(
            f"--advisory all renders as {', '.join(FORMATS)}; {renderer.name!r} renders "
            "one advisory at a time"
        )


def _cells(row: SweepRow) -> list[str]:
    values = row_dict(row)
    cover = {True: "yes", False: "NO", None: "-"}[row.covered]
    return [str(values[c]) for c in COLUMNS[:-1]] + [cover]


def _table(result: SweepResult, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    title = f"Sweep: {len(result.rows)} advisories"
    if result.as_of is not None:
        title += f" as of {rfc3339(result.as_of)}"
    table = Table(title=title)
    for col in HEADERS:
        table.add_column(col, no_wrap=True)
    for row in result.rows:
        table.add_row(*_cells(row))
    console.print(table)
    for row in result.rows:
        for reason in row.reasons:
            console.print(f"{row.advisory}: {reason}", markup=False)


def sweep_markdown(result: SweepResult) -> str:
    """The sweep as one Markdown document: the summary, then each report with findings."""
    when = f" as of {rfc3339(result.as_of)}" if result.as_of else ""
    lines = [f"# Sweep: {len(result.rows)} advisories{when}", ""]
    lines += ["| " + " | ".join(COLUMNS) + " | reasons |", "|" + "---|" * (len(COLUMNS) + 1)]
    for row in result.rows:
        reasons = "<br>".join(r.replace("|", "\\|") for r in row.reasons)
        lines.append("| " + " | ".join(_cells(row)) + f" | {reasons} |")
    text = "\n".join(lines) + "\n"
    for report in result.reports:
        text += "\n" + render_markdown(report)
    return text
