"""Host name syntax (RFC 1035 lengths, IDNA), shared by the API's URL check and the fetcher's guard."""

from __future__ import annotations

import idna


def to_ascii(host: str) -> str:
    """The name as DNS sees it: 'bücher.de' -> 'xn--bcher-kva.de'; raises UnicodeError when IDNA cannot encode it."""
    name = host.strip("[]").rstrip(".")
    return name if name.isascii() else idna.encode(name, uts46=True).decode("ascii")


def hostname_problem(host: str) -> str | None:
    """Why `host` (a name, not an IP literal) can never be looked up, or None: an empty label
    ("www..example.com"), a label over 63 characters, a name over 253, or one IDNA cannot encode.
    Checked before DNS, whose IDNA codec would otherwise raise a bare UnicodeError."""
    try:
        name = to_ascii(host)
    except (UnicodeError, ValueError) as exc:
        return f"'{host}' is not a valid host name ({exc})"
    labels = name.split(".")
    if not all(labels):
        return f"'{host}' is not a valid host name (it has an empty label)"
    if any(len(label) > 63 for label in labels):
        return f"'{host}' is not a valid host name (a label is longer than 63 characters)"
    if len(name) > 253:
        return f"'{host}' is not a valid host name (longer than 253 characters)"
    return None
