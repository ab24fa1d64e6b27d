"""Bearer and run tokens at the edges: what the token list may hold, and what a signed token may claim."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jwt
import pytest

from brandtruth.api.auth import Auth, Forbidden, TokenConfigError, Unauthorized
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


def _signed(auth: Auth, claims: object, algorithm: str = "HS256", key: bytes | None = None) -> str:
    """A token signed with the server's key whatever its claims (PyJWT's encoder insists on a dict)."""
    header = jwt.utils.base64url_encode(json.dumps({"alg": algorithm, "typ": "JWT"}).encode())
    body = jwt.utils.base64url_encode(json.dumps(claims).encode())
    signing_input = header + b"." + body
    if algorithm == "none":
        return (signing_input + b".").decode()
    sig = jwt.get_algorithm_by_name(algorithm).sign(signing_input, key or auth.secret)
    return (signing_input + b"." + jwt.utils.base64url_encode(sig)).decode()


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
    assert auth.identity_for_run_token(auth.sign_run_token("pipeline-a", "ana"), "pipeline-a") == "ana"


@pytest.mark.parametrize("algorithm", ["none", "HS512", "HS384"])
def test_run_token_signed_any_other_way_is_401(tmp_path: Path, algorithm: str) -> None:
    """Only HS256 is accepted: 'alg: none' and other algorithms are refused even with the right key."""
    auth = auth_for(tmp_path, GOOD)
    token = _signed(auth, {"run": "pipeline-a", "sub": "ana", "exp": int(time.time()) + 60}, algorithm)
    with pytest.raises(Unauthorized, match="Invalid run token"):
        auth.identity_for_run_token(token, "pipeline-a")


def test_run_token_of_another_key_is_401(tmp_path: Path) -> None:
    auth = auth_for(tmp_path, GOOD)
    other = auth_for(tmp_path, "bob:tok-bob-1234567890")
    with pytest.raises(Unauthorized, match="Invalid run token"):
        auth.identity_for_run_token(other.sign_run_token("pipeline-a", "bob"), "pipeline-a")


def test_run_token_scope_and_expiry(tmp_path: Path) -> None:
    auth = auth_for(tmp_path, GOOD)
    with pytest.raises(Forbidden, match="another run"):
        auth.identity_for_run_token(auth.sign_run_token("pipeline-a", "ana"), "pipeline-b")
    with pytest.raises(Unauthorized, match="expired"):
        auth.identity_for_run_token(auth.sign_run_token("pipeline-a", "ana", ttl=-1), "pipeline-a")


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
