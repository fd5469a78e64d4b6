"""What can go wrong with a store, in words the user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.errors import UserError


class StoreError(UserError):
    """The store cannot be used as asked: a bad file, a newer schema, an unknown id or tag."""


class StoreWriteError(StoreError):
    """A change could not be written; it is kept in memory and written when writing works again.

    `result` is what the operation would have returned (the change did happen in memory), so a
    caller can carry on and show the message.
    """

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


@contextmanager
def refused_import(path: Path | str) -> Iterator[None]:
    """Records from a file that the store's rules refuse (a colour, a tag's capitals): the
    message names the file. A failed write keeps the store's own words."""
    try:
        yield
    except StoreWriteError:
        raise
    except StoreError as error:
        raise UserError(f"{path}: {error}; nothing was imported") from None
