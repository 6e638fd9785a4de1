"""Global ids and cursors as Saleor clients expect them: ``base64("Product:12")`` and opaque page cursors."""

import base64
import binascii

from marketplace.api.errors import bad_input


def to_global_id(type_name: str, key: int | str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def from_global_id(value: str, expected: str) -> str:
    """The key inside a global id of the expected type; a GraphQL error (nothing else happens) otherwise."""
    try:
        decoded = base64.b64decode(str(value).encode(), validate=True).decode()
        type_name, key = decoded.split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_input(f"Couldn't resolve id: {value}.") from None
    if type_name != expected or not key:
        raise bad_input(f"Must receive a {expected} id.")
    return key


def int_id(value: str, expected: str) -> int:
    key = from_global_id(value, expected)
    if not key.isdigit() or len(key) > 18:
        raise bad_input(f"Couldn't resolve id: {value}.")
    return int(key)


def offset_cursor(offset: int) -> str:
    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


def cursor_offset(cursor: str) -> int:
    try:
        prefix, number = base64.b64decode(cursor.encode(), validate=True).decode().split(":", 1)
        offset = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_input("Invalid cursor.") from None
    if prefix != "arrayconnection" or offset < 0:
        raise bad_input("Invalid cursor.")
    return offset

