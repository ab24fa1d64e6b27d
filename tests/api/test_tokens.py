"""Bearer and run tokens at the edges: what the token list may hold, and what a signed token may claim."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest

from brandtruth.api.auth import Auth, TokenConfigError, Unauthorized
from tests.support.servers import make_settings

GOOD = "ana:tok-ana-1234567890"


def auth_for(tmp_path: Path, tokens: str) -> Auth:
    return Auth.from_settings(make_settings(tmp_path, "127.0.0.1:1", "q", BRANDTRUTH_API_TOKENS=tokens))


@pytest.mark.parametrize(
    "tokens", ["alice:tokA-long-enough-1,bob:", "bob:short", "bob: \xa0", ":tok-no-name-1234567", "bob:has space 1234567890"]
)
def test_empty_short_or_spaced_tokens_are_refused_at_start_up(tmp_path: Path, tokens: str) -> None:
    with pytest.raises(TokenConfigError, match="BRANDTRUTH_API_TOKENS"):
        auth_for(tmp_path, tokens)


def test_whitespace_bearer_never_matches(tmp_path: Path) -> None:
    """'Bearer \\xa0' once logged in as the owner of an empty token, because the presented token was stripped."""
    auth = auth_for(tmp_path, GOOD)
    for header in ["Bearer \xa0", "Bearer  ", "Bearer tok-ana-1234567890 ", "Bearer \ttok-ana-1234567890"]:
        with pytest.raises(Unauthorized):
            auth.identity_for_bearer(header)
    assert auth.identity_for_bearer("Bearer tok-ana-1234567890") == "ana"


def _signed(auth: Auth, claims: object) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode()
    sig = base64.urlsafe_b64encode(hmac.new(auth.secret, body.encode(), hashlib.sha256).digest()).decode()
    return f"{body}.{sig}"


@pytest.mark.parametrize(
    "claims",
    [
        {"run": "pipeline-a", "sub": "ana", "exp": "x"},
        {"run": "pipeline-a", "sub": "ana", "exp": [1]},
        {"run": ["pipeline-a"], "sub": "ana", "exp": 4102444800},
        {"run": "pipeline-a", "sub": {"n": 1}, "exp": 4102444800},
        ["pipeline-a", "ana"],
        "pipeline-a",
        {"run": "pipeline-a", "sub": "ana"},
    ],
)
def test_signed_run_token_with_malformed_claims_is_401(tmp_path: Path, claims: object) -> None:
    auth = auth_for(tmp_path, GOOD)
    with pytest.raises(Unauthorized, match="Invalid run token"):
        auth.identity_for_run_token(_signed(auth, claims), "pipeline-a")


def test_well_formed_run_token_still_works(tmp_path: Path) -> None:
    auth = auth_for(tmp_path, GOOD)
    token = _signed(auth, {"run": "pipeline-a", "sub": "ana", "exp": int(time.time()) + 60})
    assert auth.identity_for_run_token(token, "pipeline-a") == "ana"


def test_run_tokens_are_redacted_from_access_logs() -> None:
    """uvicorn's access log wrote GET /workflow/stream/<id>?token=... in full."""
    import logging

    from brandtruth.logs import RedactTokens

    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/workflow/stream/pipeline-a?token=eyJydW4iOi.sig&x=1", "1.1", 200),
        None,
    )
    assert RedactTokens().filter(record)
    line = record.getMessage()
    assert "eyJydW4iOi" not in line and "?token=[redacted]&x=1" in line
