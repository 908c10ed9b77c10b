"""The one error tree. Every error the user can see is one of these.

::

    DrafterError                      500  exit 1   internal (never shown with a traceback)
    ├── InputError                    422  exit 2   the request is wrong; no model call was made
    │   ├── PayloadTooLarge           413  exit 2
    │   ├── UnsupportedMediaType      415  exit 2   a body that is not sent as JSON
    │   ├── NotSupported              422  exit 2   a feature not available here
    │   ├── BlockedURL                422  exit 2   a work's URL points somewhere we never fetch
    │   ├── FetchFailed               422  exit 2   a work's URL could not be fetched or read
    │   ├── GoalRefused               422  exit 2   private data, bulk contacts, deceit, coercion
    │   └── NotFound                  404  exit 2   a named profile or history entry does not exist
    ├── Unauthorized                  401  exit 2   API keys are on; the key is missing or wrong
    ├── ClientRateLimited             429  exit 2   this client sent too many requests
    ├── Busy                          503  exit 4   too many model calls at once
    ├── StateUnavailable              503  exit 4   the shared rate-limit store (Redis) is down
    ├── HistoryOff                    501  exit 3   the API keeps no drafts (no database or keys)
    ├── ConfigError                   503  exit 3   set up wrong (model, weights, runtime)
    │   └── ModelIntegrityError       503  exit 3   the assembled weights fail their sha256
    └── ModelError                    502  exit 4   the model call failed
        ├── ModelTimeout              504  exit 4
        ├── ModelRateLimited          429  exit 4
        ├── ModelUnavailable          503  exit 4
        │   └── ProviderFailed        502  exit 4   the provider answered 408/429/5xx
        ├── ModelRefused              502  exit 4   content filter or an explicit refusal
        ├── InvalidModelOutput        502  exit 4   still invalid after the bounded repairs
        └── JudgeError                502  exit 4   the judge gave no usable verdict

Each error carries a stable ``code`` (used as the problem ``type``), its HTTP status, its CLI
exit code, a message that says how to fix it, and ``retry_after`` (seconds, or None) where
waiting will help; the API sends it as ``Retry-After``. HTTP mapping lives in
``drafter.api.problems``; exit codes are applied in ``drafter.cli``; both read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BlockedURL",
    "Busy",
    "ClientRateLimited",
    "ConfigError",
    "DrafterError",
    "FetchFailed",
    "FieldProblem",
    "GoalRefused",
    "HistoryOff",
    "InputError",
    "InvalidModelOutput",
    "JudgeError",
    "ModelError",
    "ModelIntegrityError",
    "ModelRateLimited",
    "ModelRefused",
    "ModelTimeout",
    "ModelUnavailable",
    "NotFound",
    "NotSupported",
    "PayloadTooLarge",
    "ProviderFailed",
    "StateUnavailable",
    "Unauthorized",
    "UnsupportedMediaType",
]


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: a dotted location and what to do about it."""

    field: str
    message: str


class DrafterError(Exception):
    code = "internal-error"
    title = "Internal error"
    http_status = 500
    exit_code = 1

    def __init__(self, detail: str, *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


class InputError(DrafterError):
    code = "invalid-request"
    title = "The request is invalid"
    http_status = 422
    exit_code = 2

    def __init__(self, detail: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(detail)
        self.problems: list[FieldProblem] = problems or []


class PayloadTooLarge(InputError):
    code = "payload-too-large"
    title = "The request is too large"
    http_status = 413


class UnsupportedMediaType(InputError):
    code = "unsupported-media-type"
    title = "The body must be JSON"
    http_status = 415


class BodyTimeout(InputError):
    code = "request-timeout"
    title = "The request body did not arrive in time"
    http_status = 408


class NotSupported(InputError):
    code = "not-supported"
    title = "Not available on this server"


class BlockedURL(InputError):
    code = "url-blocked"
    title = "That URL is not allowed"


class FetchFailed(InputError):
    code = "fetch-failed"
    title = "The URL could not be fetched"


class GoalRefused(InputError):
    code = "goal-refused"
    title = "drafter will not write this message"


class NotFound(InputError):
    """A sender profile or a history entry the user named does not exist (for the API: a
    stored draft that does not exist or is another key's, told apart by nothing)."""

    code = "not-found"
    title = "Not found"
    http_status = 404


class Unauthorized(DrafterError):
    code = "unauthorized"
    title = "A valid API key is required"
    http_status = 401
    exit_code = 2


class ClientRateLimited(DrafterError):
    code = "rate-limited"
    title = "Too many requests"
    http_status = 429
    exit_code = 2


class Busy(DrafterError):
    code = "busy"
    title = "drafter is busy"
    http_status = 503
    exit_code = 4


class StateUnavailable(DrafterError):
    """The shared store of rate limits (``DRAFTER_STATE_URL``, Redis) cannot be reached: no
    request is let through uncounted, and none fails with a traceback."""

    code = "state-unavailable"
    title = "drafter's shared state cannot be reached"
    http_status = 503
    exit_code = 4


class HistoryOff(DrafterError):
    """The API's history routes on a server that keeps no drafts: it has no history database
    (``DRAFTER_API_HISTORY_URL``) or no API keys to tell its callers' drafts apart. Not a
    fault to retry (so not 503): the server does not offer the feature."""

    code = "history-off"
    title = "This server keeps no drafts"
    http_status = 501
    exit_code = 3


class ConfigError(DrafterError):
    code = "configuration-error"
    title = "drafter is not configured correctly"
    http_status = 503
    exit_code = 3


class ModelIntegrityError(ConfigError):
    code = "model-integrity"
    title = "The embedded model failed its integrity check"


class ModelError(DrafterError):
    code = "model-error"
    title = "The model call failed"
    http_status = 502
    exit_code = 4


class ModelTimeout(ModelError):
    code = "model-timeout"
    title = "The model did not answer in time"
    http_status = 504


class ModelRateLimited(ModelError):
    code = "model-rate-limited"
    title = "The model provider is rate limiting"
    http_status = 429


class ModelUnavailable(ModelError):
    code = "model-unavailable"
    title = "The model provider is unavailable"
    http_status = 503


class ProviderFailed(ModelUnavailable):
    """The provider answered 408/429/5xx: retried like any unavailability, reported as 502."""

    code = "provider-error"
    title = "The model provider failed"
    http_status = 502


class ModelRefused(ModelError):
    code = "refused-by-provider"
    title = "The model refused to write this message"


class InvalidModelOutput(ModelError):
    code = "invalid-model-output"
    title = "The model's reply could not be used"

    def __init__(self, detail: str, *, attempts: int, last_reply: str, problems: list[str]) -> None:
        super().__init__(detail)
        self.attempts = attempts
        # Kept for debugging in-process only; never logged or returned (it may echo user text).
        self.last_reply = last_reply
        self.problems = problems


class JudgeError(ModelError):
    code = "judge-error"
    title = "The judge's reply could not be used"
