"""Checks for control-API input: every bad value becomes a `BadInput` naming the field, never a 500."""

from sandboxes.common.errors import BadInput


def obj(value, what: str = "body") -> dict:
    if not isinstance(value, dict):
        raise BadInput(f"{what} must be a JSON object")
    return value


def text(data: dict, key: str, required: bool = True, max_len: int = 200) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise BadInput(f"{key} must be a non-empty string of at most {max_len} characters")
    return value.strip()


def integer(data: dict, key: str, low: int, high: int, default: int | None = None) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadInput(f"{key} must be a whole number from {low} to {high}")
    return value


def number(data: dict, key: str, low: float, high: float) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise BadInput(f"{key} must be a number from {low} to {high}")
    return float(value)


def items(data: dict, key: str, low: int, high: int) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise BadInput(f"{key} must be a list of {low} to {high} entries")
    return value
