"""The base of every model that is stored or recorded: workflow inputs, activity inputs/outputs, run state.

These payloads live in Temporal histories and in the local engine's SQLite rows for as long as the
runs do, so code of a later version must still read what an earlier one wrote:

- an unknown field (one an earlier version had and this one removed) is ignored, never an error;
- every field added after the first release has a default, so a payload written before it decodes;
- none of them embeds an API body (those forbid unknown fields and change with the API): a run's
  options are stored as `RunOptions`, converted from the `StartRequest` at the API boundary.

tests/pipeline/test_models_durable.py decodes a RunState and a stored row written before the split.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Durable(BaseModel):
    """A model that is stored or recorded: unknown fields are ignored (see the module docstring)."""

    model_config = ConfigDict(extra="ignore")
