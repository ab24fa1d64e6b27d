"""One render in a launched Chromium: a browser context of its own, the page opened in it behind the
render's Interception, the wait for a quiet network, the size measured, the content read, the
context disposed; all within render_timeout_seconds + 3."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import PipelineError
from .cdp import CDPError, Chromium
from .render_routes import Interception, Router

if TYPE_CHECKING:
    from .policy import FetchPolicy

log = logging.getLogger(__name__)

# Playwright's page.content(): the doctype, then the document element's markup.
CONTENT = """(() => { let html = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : "";
  return document.documentElement ? html + document.documentElement.outerHTML : html; })()"""


class RenderError(PipelineError):
    """Chromium started but the page could not be rendered (navigation refused, crashed, timed out)."""


@dataclass
class Browser:
    """A launched Chromium and the renders (browser contexts) it holds."""

    chromium: Chromium
    contexts: dict[str, Interception] = field(default_factory=dict)
    disposals: set[asyncio.Future[Any]] = field(default_factory=set)  # contexts still closing after their render

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        return self.chromium.connection.send(method, params, session)

    def event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Target.attachedToTarget":
            render = self.contexts.get(params["targetInfo"].get("browserContextId", ""))
            if render is not None:
                render.attached(params)
            # A target of no render's context stays paused: it never runs.

    def closed(self, why: str) -> None:
        for render in self.contexts.values():
            render.fail(why)

    async def render(self, router: Router, policy: FetchPolicy) -> tuple[str, bool]:
        """(the rendered HTML, whether the page was still loading at the deadline); raises RenderError or
        CDPError."""
        url, unfinished = router.url, False
        render = Interception(self.chromium.connection, router, policy.user_agent)
        try:
            # The deadline covers everything, closing included; loading gets its own bound inside it.
            async with asyncio.timeout(policy.render_timeout_seconds + 3) as whole:
                context = await self._new_context(render)
                try:
                    created = await self.send("Target.createTarget", {"url": "about:blank", "browserContextId": context})
                    page = await render.page(created["targetId"], main=True)  # attached, intercepted, running
                    try:
                        async with asyncio.timeout(policy.render_timeout_seconds):
                            navigated = await self.send("Page.navigate", {"url": url}, page)
                            if navigated.get("errorText"):
                                raise RenderError(f"{url} could not be rendered: {navigated['errorText']}")
                            if "loaderId" in navigated:  # a new document: Page.navigate may answer before its commit
                                await render.committed(navigated["loaderId"])
                            # Scripts, and the data they fetch, load after the document: wait until the
                            # network is quiet. Not for "load": a script's refused navigation (answered 204,
                            # see render_routes.py) leaves a page whose load never comes.
                            await render.quiet()
                    except TimeoutError:
                        unfinished = True
                    return await self._read(page, url, policy.max_page_bytes), unfinished
                finally:
                    render.close()
                    await self._dispose(context, whole.when() or 0.0)
        except TimeoutError:
            raise RenderError(f"{url} did not finish rendering within {policy.render_timeout_seconds:g} s") from None

    async def _new_context(self, render: Interception) -> str:
        context: str = (await self.send("Target.createBrowserContext", {"disposeOnDetach": False}))["browserContextId"]
        self.contexts[context] = render  # before its first target exists: that target is attached paused
        try:
            await self.send("Browser.setDownloadBehavior", {"behavior": "deny", "browserContextId": context})
        except BaseException:  # failed or out of time: the context is not left behind
            await self._dispose(context, 0.0)
            raise
        return context

    async def _read(self, page: str, url: str, cap: int) -> str:
        """The rendered document as HTML, measured first in an isolated world: there the DOM is the page's
        but the prototypes are pristine, so a page script that redefines outerHTML cannot under-report
        itself, and a DOM a script grew far past any page cap is refused, not carried into this process.
        The page's own scripts are stopped first: one still running (a busy loop at the deadline) would
        keep the read from running, and none can grow the page between its measure and its read."""
        await self.send("Runtime.terminateExecution", {}, page)
        await self.send("Emulation.setScriptExecutionDisabled", {"value": True}, page)
        frame = (await self.send("Page.getFrameTree", {}, page))["frameTree"]["frame"]
        if frame.get("url", "").startswith("chrome-error:") or frame.get("unreachableUrl"):
            raise RenderError(f"{url} could not be rendered: the browser showed an error page")  # not the site's
        world = await self.send("Page.createIsolatedWorld", {"frameId": frame["id"], "worldName": "brandtruth-read"}, page)

        async def evaluate(expression: str) -> Any:
            found = await self.send(
                "Runtime.evaluate",
                {"expression": expression, "contextId": world["executionContextId"], "returnByValue": True},
                page,
            )
            return found.get("result", {}).get("value")

        size = await evaluate("document.documentElement ? document.documentElement.outerHTML.length : 0")
        if not isinstance(size, int):
            raise RenderError("the rendered page could not be measured")
        if size > cap:
            raise RenderError(f"{url} rendered to more than {cap:,} characters")
        content = await evaluate(CONTENT)
        if not isinstance(content, str):
            raise RenderError(f"{url} could not be read after rendering")
        return content

    async def _dispose(self, context: str, deadline: float) -> None:
        """Closes a render's context (its pages and their processes) by the render's deadline; past it, the
        disposal goes on in the background (it ends when the browser does, at the latest)."""
        self.contexts.pop(context, None)
        if not self.chromium.alive:
            return
        disposal = asyncio.ensure_future(self.send("Target.disposeBrowserContext", {"browserContextId": context}))
        self.disposals.add(disposal)
        disposal.add_done_callback(self._disposed)
        with contextlib.suppress(TimeoutError, CDPError):
            await asyncio.wait_for(asyncio.shield(disposal), max(0.0, deadline - asyncio.get_running_loop().time()))

    def _disposed(self, disposal: asyncio.Future[Any]) -> None:
        self.disposals.discard(disposal)
        if not disposal.cancelled() and disposal.exception() is not None:
            log.debug("disposing of a browser context: %s", disposal.exception())
