"""Relay paging (first/after, last/before) over offset listings, with a page size cap."""

from dataclasses import dataclass

from flask import current_app

from marketplace.api.errors import bad_input
from marketplace.api.ids import cursor_offset, offset_cursor
from marketplace.api.types_common import PageInfo


@dataclass(frozen=True)
class Window:
    offset: int
    limit: int


def window(first: int | None, after: str | None, last: int | None, before: str | None,
           total: int | None = None) -> Window:
    """The slice a Relay request asks for. ``last`` without ``before`` needs the total (counted by the caller)."""
    cap = current_app.config["API_MAX_PAGE_SIZE"]
    if first is None and last is None:
        raise bad_input("You must provide a `first` or `last` value to properly paginate the connection.")
    if first is not None and last is not None:
        raise bad_input("Including a `first` and `last` value in one request is not supported.")
    size = first if first is not None else last
    if size < 0:
        raise bad_input("The page size (`first` or `last`) must not be negative.")
    if size > cap:
        name = "first" if first is not None else "last"
        raise bad_input(f"Requesting {size} records on the connection exceeds the `{name}` limit of {cap} records.")
    if first is not None:
        start = cursor_offset(after) + 1 if after else 0
        return Window(start, first)
    end = cursor_offset(before) if before else (total or 0)
    start = max(0, end - last)
    return Window(start, end - start)


def page_info(offset: int, count: int, total: int) -> PageInfo:
    return PageInfo(
        has_next_page=offset + count < total, has_previous_page=offset > 0,
        start_cursor=offset_cursor(offset) if count else None,
        end_cursor=offset_cursor(offset + count - 1) if count else None,
    )
