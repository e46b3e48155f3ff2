"""What a server process answered the public, kept to answer the same again without reading the
read model's rows: each answer under a key that names exactly the bytes it holds (the feed's
strong ETag; a list's generation of the read model with the request's address, path and media
type). The same key is the same bytes, so nothing kept is ever stale; a key no request makes
again is dropped when the budget is full, least recently read first."""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

from .state import generation


@dataclass(frozen=True)
class Kept:
    body: bytes
    content_type: str
    etag: str


class ServedMemory:
    def __init__(self, budget: int):
        self.budget = budget
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    def keep(self, key: tuple, kept: Kept) -> None:
        if len(kept.body) > self.budget:
            return  # streamed each time
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = kept
            self._size += len(kept.body)
            while self._size > self.budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._size = 0


def key_for(kind: str, request, *more) -> tuple | None:
    """What an answer of ``kind`` to ``request`` is kept under: the read model's generation,
    the absolute address and ``more`` (a media type); None before the read model was first
    written (nothing names its rows yet), when nothing is kept."""
    current = generation()
    return (kind, current, request.build_absolute_uri(), *more) if current else None


class WhileSmall:
    """A streamed answer's pieces as they are written, while they come to at most a quarter of
    the budget (16 MiB of 64); past it, none: a larger answer is streamed each time, its memory
    flat."""

    SHARE = 4

    def __init__(self, memory: "ServedMemory"):
        self.limit, self.size, self.pieces = memory.budget // self.SHARE, 0, []

    def __call__(self, piece: bytes) -> bytes:
        if self.pieces is not None:
            self.size += len(piece)
            if self.size <= self.limit:
                self.pieces.append(piece)
            else:
                self.pieces = None
        return piece


# Each server process keeps up to PUBLIC_MEMORY_BYTES of answers (64 MiB: the feed of some
# 35,000 verdicts and the public's most read pages); a larger feed is streamed each time.
SERVED = ServedMemory(budget=settings.PUBLIC_MEMORY_BYTES)
