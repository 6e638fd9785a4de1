"""Two kinds of refusal: `ApiError` speaks the platform's own error shape (each platform maps the kind to its code
and HTTP status); `BadInput` answers the control API with a plain JSON message."""


class ApiError(Exception):
    """kind: param, sign, timestamp, partner, auth, token_expired, not_found, rate_limit, server."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class BadInput(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
