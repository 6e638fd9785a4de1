"""Domain errors carry a message for people (translated) and a code for machines."""


class DomainError(Exception):
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"


class NoAccess(DomainError):
    """Signed in and known to the thing asked for, but without the role for it: saying "not found" to a koperasi's
    own staff only confuses them (they know it exists)."""

    code = "forbidden"


class ValidationError(DomainError):
    code = "invalid"
