"""Errors of the store, each a :class:`socialkit.errors.SocialkitError` with an i18n message.

An error keeps its message key and values, so a view can show it in the user's language
(:meth:`StoreError.render`); ``str(error)`` is the message in the default language.
"""

from __future__ import annotations

from ..config import default_lang
from ..errors import SocialkitError
from ..i18n import t

__all__ = ["AccessDeniedError", "BatchRefusedError", "ConcurrentEditError", "NotFoundError",
           "SchemaError", "StoreError", "WorkflowError"]


class StoreError(SocialkitError):
    """Something the store refused to do; ``key`` and ``params`` give the message."""

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = params
        super().__init__(self.render(default_lang()))

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang``."""
        return t(f"store.errors.{self.key}", lang, **self.params)


class AccessDeniedError(StoreError):
    """The acting user has no right to read or change this."""


class ConcurrentEditError(StoreError):
    """Someone else saved the record since this user opened it (optimistic locking)."""


class WorkflowError(StoreError):
    """The record is not in a state that allows this step (e.g. editing an approved record)."""


class NotFoundError(StoreError):
    """No such record, institution or form."""


class SchemaError(StoreError):
    """The database is not at the schema this socialkit expects."""


class BatchRefusedError(StoreError):
    """A batch of records (a bulk import) refused whole: ``errors`` lists ``(row, error)`` for
    every record the store would refuse (``row``: the record's line in the file, or its
    position), and nothing was written."""

    def __init__(self, source: str, errors: list[tuple[int, StoreError]]):
        self.source = source
        self.errors = errors
        super().__init__("batch_refused", file=source, n=len(errors))

    def render(self, lang: str | None = None) -> str:
        head = t("store.errors.batch_refused", lang, file=self.source, n=len(self.errors))
        lines = [t("store.errors.batch_line", lang, file=self.source, row=row,
                   error=err.render(lang)) for row, err in self.errors]
        return "\n".join([head, *("  - " + line for line in lines)])
