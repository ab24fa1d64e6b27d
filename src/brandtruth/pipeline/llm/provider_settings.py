"""What the copy providers read: keys, models, base URLs and the call timeout.

Built from the worker's Settings by the code that wires the steps (brandtruth/steps.py), so the
pipeline imports no settings and keys never travel in workflow inputs or histories.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr


@dataclass(frozen=True, kw_only=True)
class ProviderSettings:
    default: str  # the provider used when a run names none ('offline', 'anthropic' or 'openai')
    anthropic_api_key: SecretStr | None
    anthropic_base_url: str | None
    anthropic_model: str
    openai_api_key: SecretStr | None
    openai_base_url: str | None
    openai_model: str
    timeout_seconds: float  # one provider call (the SDK client's timeout)
