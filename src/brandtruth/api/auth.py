"""Access control: bearer tokens when BRANDTRUTH_API_TOKENS is set, signed short-lived run tokens for
what browsers load without headers (EventSource streams, <img> artifacts).

Tokens are configured as "name:token" pairs; the name is the identity recorded on decisions.
Every comparison is constant-time. Without the setting the API is open (logged loudly at start).
Run tokens are JWTs (PyJWT, HS256 only) claiming the run, the identity and an expiry.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

import jwt

from brandtruth.config import Settings
from brandtruth.engines.base import EngineError

RUN_TOKEN_TTL_SECONDS = 600
# A file token (one artifact, e.g. a run list thumbnail) lives 10 to 15 min: its expiry is rounded up
# to a 5 min step, so the same list read twice in a step gives the same URL and the browser's cache
# holds (HMAC signing is deterministic).
FILE_TOKEN_TTL_SECONDS, FILE_TOKEN_STEP_SECONDS = 600, 300
RUN_TOKEN_ALGORITHM = "HS256"  # the only one accepted: a token naming another (or "none") is invalid
MIN_TOKEN_LENGTH = 16


class TokenConfigError(ValueError):
    """BRANDTRUTH_API_TOKENS holds a token that would weaken access control; refused at start-up."""


class Unauthorized(EngineError):
    status_code = 401


class Forbidden(EngineError):
    status_code = 403


@dataclass(frozen=True)
class Auth:
    tokens: dict[str, str]  # token -> identity
    secret: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> Auth:
        raw = settings.api_tokens.get_secret_value() if settings.api_tokens else ""
        tokens: dict[str, str] = {}
        for i, pair in enumerate(p.strip() for p in raw.split(",") if p.strip()):
            name, sep, token = pair.partition(":")
            token, identity = (token, name) if sep else (name, f"token-{i + 1}")
            _check_token(identity, token)
            tokens[token] = identity
        # Run tokens are signed with a key derived from the API tokens, so every API process that
        # shares the token list accepts the others' run tokens.
        secret = (
            settings.run_token_secret.get_secret_value().encode()
            if settings.run_token_secret
            else hashlib.sha256(b"brandtruth-run-token:" + raw.encode()).digest()
        )
        return cls(tokens=tokens, secret=secret)

    @property
    def enabled(self) -> bool:
        return bool(self.tokens)

    def identity_for_bearer(self, header: str | None) -> str:
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Missing bearer token: send 'Authorization: Bearer <token>'.")
        # Raw bytes, never stripped: str.strip() also removes \xa0 and friends, which once turned a
        # whitespace "token" into a match for an empty configured one.
        presented = token.encode("utf-8", "surrogateescape")
        found = None
        for known, identity in self.tokens.items():  # check all, constant-time each
            if hmac.compare_digest(known.encode(), presented):
                found = identity
        if found is None:
            raise Unauthorized("Invalid bearer token.")
        return found

    def sign_run_token(self, run_id: str, identity: str, ttl: int = RUN_TOKEN_TTL_SECONDS) -> str:
        claims = {"run": run_id, "sub": identity, "exp": int(time.time()) + ttl}
        return jwt.encode(claims, self.secret, algorithm=RUN_TOKEN_ALGORITHM)

    def sign_file_token(self, run_id: str, name: str, identity: str, now: float | None = None) -> str:
        """A token for one of the run's files only (`name`, as in /workflow/artifacts/{run_id}/{name}):
        what a URL that may end up in a log or a history can carry without opening the whole run."""
        exp = -(-int((now or time.time()) + FILE_TOKEN_TTL_SECONDS) // FILE_TOKEN_STEP_SECONDS) * FILE_TOKEN_STEP_SECONDS
        claims = {"run": run_id, "file": name, "sub": identity, "exp": exp}
        return jwt.encode(claims, self.secret, algorithm=RUN_TOKEN_ALGORITHM)

    def identity_for_run_token(self, token: str, run_id: str, file: str | None = None) -> str:
        """The identity a run token was signed for; `file` is the artifact asked for (None: the stream),
        which a file token must name."""
        try:
            claims = jwt.decode(token, self.secret, algorithms=[RUN_TOKEN_ALGORITHM], options={"require": ["exp"]})
        except jwt.ExpiredSignatureError:
            raise Unauthorized("Run token expired: get a new one from POST /workflow/token/{id}.") from None
        except jwt.PyJWTError as exc:
            raise Unauthorized("Invalid run token.") from exc
        # A correctly signed token can still carry claims of the wrong shape (another version's
        # signer, a shared secret misused): reject it as invalid rather than failing on it.
        if not isinstance(claims.get("run"), str) or not isinstance(claims.get("sub", ""), str) or type(claims["exp"]) is not int:
            raise Unauthorized("Invalid run token: get a new one from POST /workflow/token/{id}.")
        if claims["run"] != run_id:
            raise Forbidden("This run token is for another run.")
        if "file" in claims and (not isinstance(claims["file"], str) or claims["file"] != file):
            raise Forbidden("This token is for another file of the run; get a run token from POST /workflow/token/{id}.")
        return str(claims.get("sub", ""))


def _check_token(identity: str, token: str) -> None:
    if not identity.strip():
        raise TokenConfigError("BRANDTRUTH_API_TOKENS: every token needs a name before the colon ('alice:<token>').")
    if len(token) < MIN_TOKEN_LENGTH or not token.isprintable() or token != token.strip() or " " in token:
        raise TokenConfigError(
            f"BRANDTRUTH_API_TOKENS: the token for {identity!r} is empty, shorter than {MIN_TOKEN_LENGTH} characters "
            "or contains spaces; use a long random token (e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`)."
        )
