"""The release of the store's current data, made once per data version and shared by every
session and thread of the process (the store asks for its table). A large one lives on disk
beside its snapshot (`cx.privacy.stored`), made once for every process."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow as pa

from cx import config
from cx.filters import ALL
from cx.privacy import stored
from cx.privacy.release import Release, release
from cx.store import Store, release_file


class Publisher:
    """Keeps the release of `store` at threshold k current; thread-safe. With `apart`, a
    release file still to be made is made by a process of its own (the app's: its pages
    should not hold the peak)."""

    def __init__(self, store: Store, k: int, comment_k: int, apart: bool = False):
        self._store, self.k, self.comment_k, self.apart = store, k, comment_k, apart
        self._lock = threading.Lock()
        self._made: tuple[int, Release] | None = None

    def current(self) -> Release:
        """The release of the data as it is now (recomputed after every write)."""
        version = self._store.data_version
        with self._lock:
            if self._made is None or self._made[0] != version:
                self._made = (version, self._make())
            return self._made[1]

    def _make(self) -> Release:
        store = self._store
        snapshot = store.snapshot
        if snapshot is None or store.held() is not None \
                or store.response_count() < config.release_stored_from():
            return release(store.responses(filters=ALL), store.qn, self.k, self.comment_k)
        path = stored.path_of(snapshot, self.k, self.comment_k)
        if not path.exists() and self.apart:  # the other process takes the maker's lock
            stored.make_apart(store.path, snapshot, self.k, self.comment_k)
        if not path.exists():  # made here when the other process failed
            with release_file.making(path):
                if not path.exists():
                    stored.make_here(store, path, self.k, self.comment_k)
        return stored.load(path)

    def table(self) -> pa.Table | Path:
        return self.current().table


def current_release(store: Store) -> Release:
    """The release of a store that has a publisher (see `attach`)."""
    if not isinstance(store.publisher, Publisher):
        raise LookupError("the store has no publisher: call cx.privacy.attach first")
    return store.publisher.current()


def attach(store: Store, k: int, comment_k: int, apart: bool = False) -> Publisher:
    """Give `store` a publisher (once; a later call with another k replaces it)."""
    found = store.publisher
    if not isinstance(found, Publisher) or (found.k, found.comment_k) != (k, comment_k):
        store.publisher = Publisher(store, k, comment_k, apart)
    assert isinstance(store.publisher, Publisher)
    return store.publisher


def prebuild(store: Store, k: int, comment_k: int) -> Path | None:
    """A writer's last step: the release file of `store`'s snapshot made now (its caller saw
    the data large enough to store it), so that no viewer waits for it. Its path, or None
    without a snapshot."""
    if store.snapshot is None:
        return None
    path = stored.path_of(store.snapshot, k, comment_k)
    with release_file.making(path):
        if not path.exists():
            stored.make_here(store, path, k, comment_k)
    return path
