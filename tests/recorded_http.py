"""Recorded HTTP bodies for ``responses`` that a caching client can store."""

from __future__ import annotations

import io


class ClosingReader(io.BufferedReader):
    """A recorded body that closes once read to the end, as a socket file does.

    CacheControl stores a body when its file closes; ``responses``' default BytesIO
    never closes, so without this nothing would be cached.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not self.peek(1):
            self.close()
        return data
