"""The release of the store's current data, made once per data version and shared by every
session and thread of the process (the store asks for its table)."""

from __future__ import annotations

import threading

import pyarrow as pa

from cx.filters import ALL
from cx.privacy.release import Release, release
from cx.store import Store


class Publisher:
    """Keeps the release of `store` at threshold k current; thread-safe."""

    def __init__(self, store: Store, k: int, comment_k: int):
        self._store, self.k, self.comment_k = store, k, comment_k
        self._lock = threading.Lock()
        self._made: tuple[int, Release] | None = None

    def current(self) -> Release:
        """The release of the data as it is now (recomputed after every write)."""
        version = self._store.data_version
        with self._lock:
            if self._made is None or self._made[0] != version:
                frame = self._store.responses(filters=ALL)
                self._made = (version, release(frame, self._store.qn, self.k, self.comment_k))
            return self._made[1]

    def table(self) -> pa.Table:
        return self.current().table


def current_release(store: Store) -> Release:
    """The release of a store that has a publisher (see `attach`)."""
    if not isinstance(store.publisher, Publisher):
        raise LookupError("the store has no publisher: call cx.privacy.attach first")
    return store.publisher.current()


def attach(store: Store, k: int, comment_k: int) -> Publisher:
    """Give `store` a publisher (once; a later call with another k replaces it)."""
    found = store.publisher
    if not isinstance(found, Publisher) or (found.k, found.comment_k) != (k, comment_k):
        store.publisher = Publisher(store, k, comment_k)
    assert isinstance(store.publisher, Publisher)
    return store.publisher
