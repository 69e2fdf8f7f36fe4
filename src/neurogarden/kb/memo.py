"""Memoising on the identity of the arguments, for values built from knowledge-base
records that every plan shows the same way.

`functools.cache` would hash a record by value on every call, which for a large
frozen record costs about as much as the work it saves. Records are never copied
while a process runs, so their identity is enough; the memo holds each argument, so
an id is never reused while its entry lives, and it starts afresh when full (a clinic
protocol read per request makes new objects each time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

CAPACITY = 4096


def by_identity(fn: Callable[P, R]) -> Callable[P, R]:
    table: dict[tuple[int, ...], tuple[tuple[object, ...], R]] = {}

    def memoised(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs:
            return fn(*args, **kwargs)
        key = tuple(map(id, args))
        hit = table.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], args, strict=True)):
            return hit[1]
        result = fn(*args, **kwargs)
        if len(table) >= CAPACITY:
            table.clear()
        table[key] = (args, result)
        return result

    memoised.__doc__ = fn.__doc__
    memoised.__name__ = fn.__name__
    return memoised
