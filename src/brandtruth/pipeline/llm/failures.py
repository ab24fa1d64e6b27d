"""Turn SDK exceptions into ProviderError, deciding retryability once for both SDKs.

Both official SDKs raise the same shapes (APIStatusError with `status_code` and `response`,
APITimeoutError, APIConnectionError), so one mapping serves both. 429, 5xx, 408/409 and timeouts are
retryable and carry the server's Retry-After; 400/401/403/404 are not, and say what to fix.
Messages never contain the API key: it is scrubbed in case a server echoes it.
"""

from __future__ import annotations

from ..errors import ProviderError
from ..retry_after import retry_after_seconds

_FIX = {
    400: "the request was rejected as invalid; check {model_var} names a model that supports {feature}",
    401: "the API key was rejected; set a valid {key_var} in the worker's environment",
    403: "the API key may not use this model or endpoint; check the key's permissions for {model_var}",
    404: "the model or endpoint was not found; check {model_var} (and {url_var} if you set it)",
    413: "the request is too large for the model; lower the number of variants or use a larger model",
    422: "the request was rejected as invalid; check {model_var} names a model that supports {feature}",
}


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "[redacted]") if secret else text


def to_provider_error(
    exc: Exception, *, provider: str, key_var: str, model_var: str, url_var: str, feature: str, secret: str | None = None
) -> ProviderError:
    label = provider.capitalize() if provider != "openai" else "OpenAI"
    name = type(exc).__name__
    if "Timeout" in name:
        return ProviderError(f"{label} did not answer in time; will retry.", retryable=True)
    status = getattr(exc, "status_code", None)
    if status is None:
        if "Connection" in name:
            return ProviderError(
                f"Could not reach {label} ({_scrub(str(exc), secret)}); will retry. If {url_var} is set, check it.",
                retryable=True,
            )
        return ProviderError(f"{label} call failed: {_scrub(str(exc), secret)}", retryable=True)
    response = getattr(exc, "response", None)
    retry_after = retry_after_seconds(getattr(response, "headers", None))
    detail = _scrub(str(getattr(exc, "message", "") or exc), secret)[:300]
    if status == 429:
        wait = f" after {retry_after:g}s" if retry_after is not None else ""
        return ProviderError(f"{label} rate limit reached (429); will retry{wait}.", retryable=True, retry_after=retry_after)
    if status >= 500 or status in (408, 409):
        return ProviderError(f"{label} server error ({status}); will retry. {detail}", retryable=True, retry_after=retry_after)
    fix = _FIX.get(status, "the request was refused; check {key_var} and {model_var}").format(
        key_var=key_var, model_var=model_var, url_var=url_var, feature=feature
    )
    return ProviderError(f"{label} refused the request ({status}): {fix}. Server said: {detail}", retryable=False)
