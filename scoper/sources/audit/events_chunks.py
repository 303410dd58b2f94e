"""A scoper-events file read as bounded chunks of numbered lines.

The loader stages, checks and writes one chunk at a time (events_jsonl.py), so memory
stays bounded whatever the file's size. Each chunk is an Arrow table ``(line, j)``: the
1-based physical line number (lines end at ``\\n``) and the line's text, blank lines kept
as ``""`` so numbering is exact. A block of whole lines is split by pyarrow's CSV reader
(multi-threaded; quoting off, delimiter 0x1F, which a JSON text never holds raw); when its
row count is not the block's count of ``\\n`` (a line holding 0x1F, or a bare ``\\r``),
the block is split at ``\\n`` exactly instead. The file is UTF-8 by now (events_prepare.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

MIB = 1 << 20
CHUNK_BYTES = 48 * MIB  # about 250k lines of a fleet's events: ~150 MB staged per chunk


def chunks(
    path: Path, compression: str, max_line: int, size: int | None = None
) -> Iterator[pa.Table]:
    """The file's lines as ``(line, j)`` tables of about ``size`` bytes each (default
    :data:`CHUNK_BYTES`; never less than one line of ``max_line`` bytes)."""
    import pyarrow as pa

    first = 1
    wanted = CHUNK_BYTES if size is None else size
    with pa.input_stream(str(path), compression="gzip" if compression == "gzip" else None) as f:
        for block in _blocks(f, max(wanted, max_line + 2)):
            table = _numbered(block, first, max(16 * MIB, max_line + 2))
            first += table.num_rows
            yield table


def _blocks(stream: Any, size: int) -> Iterator[bytes]:
    """Blocks of whole lines, each ending in ``\\n`` (the last one maybe not)."""
    rest = b""
    while block := stream.read(size):
        data = rest + block if rest else block
        cut = data.rfind(b"\n") + 1
        if cut:
            yield data[:cut]
        rest = data[cut:]
    if rest:
        yield rest


def _numbered(block: bytes, first: int, longest: int) -> pa.Table:
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = _lines(block, longest)
    ones = pc.cast(pc.is_valid(lines), pa.int64())
    numbers = pc.add(pc.cumulative_sum(ones), first - 1)
    return pa.table({"line": numbers, "j": lines})


def _lines(block: bytes, longest: int) -> pa.ChunkedArray | pa.Array:
    """The block's lines, split at ``\\n`` only (``longest``: bytes a line may hold)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as csv

    expected = block.count(b"\n") + (not block.endswith(b"\n"))
    skipped: list[object] = []

    def skip(row: object) -> str:
        skipped.append(row)
        return "skip"

    table = csv.read_csv(
        pa.py_buffer(block),
        read_options=csv.ReadOptions(column_names=["j"], block_size=longest),
        parse_options=csv.ParseOptions(
            delimiter="\x1f",
            quote_char=False,
            escape_char=False,
            ignore_empty_lines=False,
            invalid_row_handler=skip,
        ),
        convert_options=csv.ConvertOptions(
            column_types={"j": pa.string()}, strings_can_be_null=False
        ),
    )
    if not skipped and table.num_rows == expected:
        return table.column(0)
    text = block[:-1] if block.endswith(b"\n") else block
    whole = pa.array([text.decode("utf-8")], pa.large_string())
    return pc.split_pattern(whole, "\n").flatten()
