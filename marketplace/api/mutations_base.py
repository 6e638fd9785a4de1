"""Every mutation is its own transaction: a business refusal rolls it back and comes back in the payload's
``errors`` (empty on success), a success commits once, at this edge."""

from collections.abc import Callable
from enum import Enum
from typing import TypeVar

from graphql import GraphQLError

from marketplace.api.errors import Refused
from marketplace.core.errors import DomainError
from marketplace.extensions import db

T = TypeVar("T")


def perform(work: Callable[[], T], refused: Callable[[list[Refused]], T], invalid_code: Enum) -> T:
    try:
        result = work()
    except Refused as error:
        db.session.rollback()
        return refused([error])
    except DomainError as error:
        db.session.rollback()
        return refused([Refused(invalid_code, error.message, _camel(error.field))])
    except GraphQLError:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def _camel(name: str | None) -> str | None:
    if not name:
        return None
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
