"""The one error a reader raises: a clear, user-facing message about one file."""
from __future__ import annotations


class ReadError(Exception):
    """A file could not be read.  ``str(err)`` names the file and the problem in plain words.

    ``kind`` is a stable key for summaries and tests: ``empty``, ``corrupt``, ``encrypted``,
    ``mislabelled``, ``unsupported``, ``too_large``, ``timeout``, ``no_pages``, ``missing_tool``.
    A reader raises nothing else for a damaged or hostile file (``tests/test_fuzz_readers.py``
    holds every reader to it).
    """

    def __init__(self, file: str, kind: str, message: str):
        self.file = file
        self.kind = kind
        self.message = message
        super().__init__(f"{file}: {message}")

    def without_path(self, path) -> "ReadError":
        """The same error with ``path`` (and its folder) in the message replaced by the file's
        name: a clerk reads which file, never where a worker unpacked it."""
        msg = self.message
        for p in (str(path), str(getattr(path, "parent", ""))):
            if p and p not in (".", "/"):
                msg = msg.replace(p + "/", "").replace(p, self.file)
        return self if msg == self.message else ReadError(self.file, self.kind, msg)

    def __reduce__(self):  # survive the pickle trip back from an isolated reader process
        return (ReadError, (self.file, self.kind, self.message))
