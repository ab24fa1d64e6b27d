"""The pipeline's exception hierarchy; what is retryable is decided here, once.

    PipelineError                 base; carries `retryable` and a stable `type` name
    ├── FetchError                the brand site could not be read
    │   ├── BlockedAddressError   SSRF guard refused the target (never retryable)
    │   ├── DnsError              name did not resolve (NXDOMAIN never; temporary failure yes)
    │   ├── ConnectError          connection refused/reset (retryable)
    │   ├── TlsError              TLS handshake or certificate failed (never retryable)
    │   ├── TooManyRedirectsError more than 5 hops or a loop (never retryable)
    │   ├── RobotsDisallowedError robots.txt forbids the page (never retryable)
    │   ├── FetchTimeoutError     timed out (retryable if the site was not reached in time; final if reached, then too slow)
    │   ├── TooLargeError         response over the size cap (never retryable)
    │   ├── NotHtmlError          wrong content type (never retryable)
    │   └── HttpStatusError       4xx (not retryable, except 408/429) or 5xx (retryable)
    ├── ProviderError             the copy provider failed (retryable per status)
    ├── ExtractionError           the page was read but holds nothing to build on
    ├── CpuPoolError              a CPU pool process died mid-task, twice (retryable)
    ├── StorageError              the artifact store could not be reached or answered badly (retryable)
    └── InvalidInputError         a caller's mistake (never retryable)

The Temporal activities turn these into ApplicationError(type=..., non_retryable=not retryable,
next_retry_delay=retry_after); the local engine uses the same flags for its own retry loop.
"""

from __future__ import annotations


class PipelineError(Exception):
    retryable: bool = False

    def __init__(self, message: str, *, retryable: bool | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        if retryable is not None:
            self.retryable = retryable
        self.retry_after = retry_after

    @property
    def type(self) -> str:
        return type(self).__name__

    def __reduce__(self) -> tuple[object, ...]:
        # Steps raise these inside the CPU pool's processes too: pickle every attribute, whatever a
        # subclass's __init__ takes, so retryable/retry_after survive the trip back.
        return _restore, (type(self), self.args), self.__dict__


def _restore(cls: type[PipelineError], args: tuple[object, ...]) -> PipelineError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


class FetchError(PipelineError):
    retryable = True


class BlockedAddressError(FetchError):
    retryable = False


class DnsError(FetchError):
    retryable = False


class ConnectError(FetchError):
    retryable = True


class TlsError(FetchError):
    retryable = False


class TooManyRedirectsError(FetchError):
    retryable = False


class RobotsDisallowedError(FetchError):
    retryable = False


class FetchTimeoutError(FetchError):
    retryable = True


class TooLargeError(FetchError):
    retryable = False


class NotHtmlError(FetchError):
    retryable = False


class HttpStatusError(FetchError):
    def __init__(self, message: str, status_code: int, retry_after: float | None = None):
        retryable = status_code >= 500 or status_code in (408, 425, 429)
        super().__init__(message, retryable=retryable, retry_after=retry_after)
        self.status_code = status_code


class ProviderError(PipelineError):
    retryable = True


class ExtractionError(PipelineError):
    retryable = False


class CpuPoolError(PipelineError):
    retryable = True


class StorageError(PipelineError):
    retryable = True


class InvalidInputError(PipelineError):
    retryable = False


def unexpected_error_message(exc: BaseException) -> str:
    """How both engines report an exception that is no PipelineError (a bug): 'Type: message'.

    Such an error is retried like a retryable one (Temporal's default, and the local engine's), and a
    run that fails on it reports retryable=True on both engines: it may not happen again."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
