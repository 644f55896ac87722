class ServiceError(Exception):
    """A refused write with a message for the person who asked (in Chinese)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(ServiceError):
    status_code = 409


class PermissionDeniedError(ServiceError):
    status_code = 403
