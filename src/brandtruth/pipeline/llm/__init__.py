"""Copy providers behind one interface: offline (default), Anthropic and OpenAI.

`get_provider` is called in the worker: keys come from its Settings (as ProviderSettings, built in
brandtruth/steps.py) and never travel in inputs.
The SDK-backed providers are imported lazily so the offline path needs neither SDK loaded.
"""

from __future__ import annotations

from ..errors import InvalidInputError, ProviderError
from .base import (
    CopyProvider,
    CopyRequest,
    CritiqueRequest,
    CritiqueResult,
    Draft,
    DraftBatch,
    DraftClaim,
    PlatformLimits,
    ProviderResult,
    Slot,
)
from .offline import OfflineProvider
from .provider_settings import ProviderSettings

__all__ = [
    "CopyProvider",
    "CopyRequest",
    "CritiqueRequest",
    "CritiqueResult",
    "Draft",
    "DraftBatch",
    "DraftClaim",
    "OfflineProvider",
    "PlatformLimits",
    "ProviderResult",
    "ProviderSettings",
    "Slot",
    "get_provider",
]


def get_provider(name: str | None, settings: ProviderSettings) -> CopyProvider:
    """The provider called `name` ('offline', 'anthropic', 'openai'); None means the settings' default."""
    name = (name or settings.default).lower()
    if name == "offline":
        return OfflineProvider()
    if name == "anthropic":
        if settings.anthropic_api_key is None:
            raise ProviderError(
                "The anthropic provider needs ANTHROPIC_API_KEY in the worker's environment; "
                "set it or choose provider 'offline'.",
                retryable=False,
            )
        from .anthropic import AnthropicProvider

        return AnthropicProvider(settings)
    if name == "openai":
        if settings.openai_api_key is None:
            raise ProviderError(
                "The openai provider needs OPENAI_API_KEY in the worker's environment; set it or choose provider 'offline'.",
                retryable=False,
            )
        from .openai import OpenAIProvider

        return OpenAIProvider(settings)
    raise InvalidInputError(f"Unknown copy provider {name!r}; choose offline, anthropic or openai.")
