"""Rich output on stderr that is not a report: the ingest summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from scoper.ingest import FileResult

_LABELS = {"ignored": "(ignored: documentation)", "note": "(not walked)"}


def print_ingest(console: Console, results: Sequence[FileResult]) -> None:
    table = Table(title="Ingest summary")
    for col in ("format", "files", "records", "skipped", "unchanged", "errors"):
        table.add_column(col, justify="right" if col != "format" else "left")
    by_format: dict[str, Counter[str]] = {}
    for r in results:
        label = r.format or _LABELS.get(r.status, "(unrecognised)")
        c = by_format.setdefault(label, Counter())
        c["files"] += 1
        c["records"] += r.records
        c["skipped"] += r.skipped
        c["unchanged"] += r.status == "unchanged"
        c["errors"] += r.status in ("error", "unknown", "empty")
    for name, c in sorted(by_format.items()):
        table.add_row(
            name, *(str(c[k]) for k in ("files", "records", "skipped", "unchanged", "errors"))
        )
    console.print(table)
    for r in results:
        if r.error:
            console.print(f"[red]error:[/] {r.error}")
        for note in r.notes:
            console.print(f"[yellow]note:[/] {note}")
        for reason in r.skipped_reasons[:10]:
            console.print(f"[yellow]skipped:[/] {reason}")
        if len(r.skipped_reasons) > 10:
            console.print(f"[yellow]skipped:[/] ... {r.skipped - 10} more in {r.path}")
