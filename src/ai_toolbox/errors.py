"""Error types every layer raises and every face renders.

Each error carries a message a user can act on and the HTTP status the API answers with.
The API maps them to responses in one place (`api.errors`); the CLI prints them without a
traceback (`cli.common`).
"""

from __future__ import annotations


class ToolboxError(Exception):
    """Base class: something the user can fix or should know about."""

    status_code: int = 400
    code: str = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def to_dict(self) -> dict[str, str]:
        body = {"error": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        return body


class InvalidInput(ToolboxError):
    status_code = 422
    code = "invalid_input"


class UnsupportedFile(ToolboxError):
    status_code = 415
    code = "unsupported_file"


class TooLarge(ToolboxError):
    status_code = 413
    code = "too_large"


class NotFound(ToolboxError):
    status_code = 404
    code = "not_found"


class AlreadyExists(ToolboxError):
    status_code = 409
    code = "already_exists"


class NotAuthenticated(ToolboxError):
    status_code = 401
    code = "not_authenticated"


class NotPermitted(ToolboxError):
    status_code = 403
    code = "not_permitted"


class RateLimited(ToolboxError):
    status_code = 429
    code = "rate_limited"


class UnsafeSQL(ToolboxError):
    status_code = 422
    code = "unsafe_sql"


class ModelUnavailable(ToolboxError):
    status_code = 503
    code = "model_unavailable"


class StorageUnavailable(ToolboxError):
    status_code = 503
    code = "storage_unavailable"


class ConfigInvalid(ToolboxError):
    status_code = 500
    code = "config_invalid"


class JobFailed(ToolboxError):
    status_code = 500
    code = "job_failed"
