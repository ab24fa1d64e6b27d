"""Routes that serve a run's stored files: GET /workflow/artifacts/{id}/{name} and the contact sheet.

Same access rule as the run (RunReader: the bearer token, or the run's short-lived token that <img>
can carry). A local store's file is sent as a file; object storage is streamed through the API, or,
with BRANDTRUTH_ARTIFACTS_PRESIGN_SECONDS set, answered with a redirect to a presigned URL for the
kinds of file a browser only displays or downloads (never HTML or SVG, which could run script).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from brandtruth.api.deps import RunEngine, RunReader, Store
from brandtruth.api.errors import ARTIFACT_RESPONSES, PNG_RESPONSES
from brandtruth.api.singleflight import SingleFlight
from brandtruth.engines.base import EngineUnavailable, RunNotFound, WrongState
from brandtruth.pipeline import compose
from brandtruth.pipeline.artifacts import (
    ArtifactNotFound,
    ArtifactStore,
    InvalidKeyError,
    StorageError,
    content_type,
    served_type,
    validate_key,
)
from brandtruth.pipeline.compose.output import contact_sheet_key
from brandtruth.pipeline.cpu import run_cpu

router = APIRouter(prefix="/workflow", tags=["artifacts"])

CACHE_STORED = "private, max-age=3600"  # a key's bytes never change but by a retried identical write
REDIRECTABLE = {"image/png", "image/jpeg", "image/webp", "image/gif", "application/zip"}

_SHEETS: SingleFlight[str] = SingleFlight()
_FINALS: SingleFlight[bool] = SingleFlight()


def _unavailable(exc: StorageError) -> EngineUnavailable:
    return EngineUnavailable(f"The artifact store is not answering ({exc.message}); try again shortly.")


async def serve(request: Request, store: ArtifactStore, key: str, cache: str = CACHE_STORED) -> Response:
    """The artifact under `key` as a response: its file, a redirect to a presigned URL, or a stream."""
    media = served_type(key)
    headers = {"Cache-Control": cache}
    name = key.rsplit("/", 1)[-1]
    download = name if media != content_type(key) else None  # e.g. SVG: a download, never a document
    path = store.local_path(key)
    if path is not None:
        if not path.is_file():
            raise RunNotFound(f"No artifact {key.split('/', 1)[1]!r} for {key.split('/', 1)[0]}")
        return FileResponse(path, media_type=media, filename=download, headers=headers)
    try:
        info = await store.head_async(key)
        presign_seconds: float = request.app.state.artifacts_presign_seconds
        if presign_seconds > 0 and media in REDIRECTABLE:
            url = await store.presign(key, presign_seconds)
            if url:
                return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})
    except ArtifactNotFound as exc:
        raise RunNotFound(f"No artifact {key.split('/', 1)[1]!r} for {key.split('/', 1)[0]}") from exc
    except StorageError as exc:
        raise _unavailable(exc) from exc
    headers["Content-Length"] = str(info.size)
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{download}"'
    return StreamingResponse(store.stream(key), media_type=media, headers=headers)


@router.get("/artifacts/{workflow_id}/{name:path}", response_class=Response, responses=ARTIFACT_RESPONSES)
async def artifact(workflow_id: str, name: str, request: Request, _: RunReader, store: Store) -> Response:
    try:
        key = validate_key(f"{workflow_id}/{name}")
    except InvalidKeyError as exc:
        raise RunNotFound(f"No artifact {name!r} for {workflow_id}") from exc
    try:
        if compose.is_final(key) and not await store.exists_async(key):
            # A creative's PNG is rendered for approved variants only: any other on its first request, once.
            await _FINALS.run(key, lambda: run_cpu(compose.render_final, store, key))
    except StorageError as exc:
        raise _unavailable(exc) from exc
    return await serve(request, store, key)


@router.get("/contact-sheet/{workflow_id}", response_class=Response, responses=PNG_RESPONSES)
async def contact_sheet(workflow_id: str, request: Request, _: RunReader, engine: RunEngine, store: Store) -> Response:
    """Every current creative of the run on one image, for a quick look; rendered on first request."""
    state = await engine.state(workflow_id)
    if not state.creatives:
        raise WrongState(f"Run {workflow_id} has no creatives yet ({state.status.value}).")
    key = contact_sheet_key(workflow_id, state.creatives)
    try:
        if not await store.exists_async(key):
            # Many tabs (or a script) asking at once share one render instead of queueing one each.
            key = await _SHEETS.run(key, lambda: run_cpu(compose.contact_sheet, workflow_id, state.creatives, store))
    except StorageError as exc:
        raise _unavailable(exc) from exc
    return await serve(request, store, key, cache="no-cache")
