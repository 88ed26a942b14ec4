"""The one error a reader raises: a clear, user-facing message about one file."""
from __future__ import annotations


class ReadError(Exception):
    """A file could not be read.  ``str(err)`` names the file and the problem in plain words.

    ``kind`` is a stable key for summaries and tests: ``empty``, ``corrupt``, ``encrypted``,
    ``mislabelled``, ``unsupported``, ``too_large``, ``timeout``, ``no_pages``, ``missing_tool``.
    """

    def __init__(self, file: str, kind: str, message: str):
        self.file = file
        self.kind = kind
        self.message = message
        super().__init__(f"{file}: {message}")

    def __reduce__(self):  # survive the pickle trip back from an isolated reader process
        return (ReadError, (self.file, self.kind, self.message))
