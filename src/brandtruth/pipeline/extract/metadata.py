"""What a page says about itself outside its text: JSON-LD, Open Graph, microdata, and the colours of
pre-CSS presentational attributes."""

from __future__ import annotations

from typing import Any

from lxml.etree import _Element

MAX_STYLES = 2_000  # <style> elements, style="" and legacy presentational attributes, each kind
MAX_STRUCTURED = 200  # JSON-LD nodes (top level, and in all @graph lists) and microdata items


def legacy_css(doc: _Element) -> list[str]:
    """Pre-CSS presentational attributes (bgcolor, <font color/face>, body text/link) as CSS rules."""
    rules = [f"{el.tag}{{background-color:{el.get('bgcolor')}}}" for el in doc.xpath("//*[@bgcolor]")[:MAX_STYLES]]
    rules += [f"font{{color:{el.get('color')}}}" for el in doc.xpath("//font[@color]")[:MAX_STYLES]]
    rules += [f"font{{font-family:{el.get('face')}}}" for el in doc.xpath("//font[@face]")[:MAX_STYLES]]
    for body in doc.xpath("//body[@text or @link]"):
        rules += [f"body{{color:{body.get('text')}}}"] if body.get("text") else []
        rules += [f"a{{color:{body.get('link')}}}"] if body.get("link") else []
    return rules


def structured_data(doc: _Element, base_url: str) -> tuple[list[Any], dict[str, str], list[Any]]:
    """(JSON-LD items, Open Graph properties, microdata items), each bounded; malformed data is skipped."""
    # Imported here: extruct brings ~30 MB of modules, needed only where pages are parsed (the CPU
    # pool's processes), not in every process that imports this module's types.
    from extruct.jsonld import JsonLdExtractor
    from extruct.opengraph import OpenGraphExtractor
    from extruct.w3cmicrodata import MicrodataExtractor

    opengraph: dict[str, str] = {}
    try:
        jsonld = JsonLdExtractor().extract_items(doc, base_url=base_url)[:MAX_STRUCTURED]
    except Exception:  # extruct raises on malformed JSON in a <script>; the rest of the page still counts
        jsonld = []
    budget = MAX_STRUCTURED  # for all @graph lists together: media.py walks them on the event loop
    for node in jsonld:
        if isinstance(node, dict) and isinstance(node.get("@graph"), list):
            node["@graph"] = node["@graph"][: max(0, budget)]
            budget -= len(node["@graph"])
    try:
        for item in OpenGraphExtractor().extract_items(doc, base_url=base_url):
            for key, value in item.get("properties", []):
                opengraph.setdefault(key, value)
    except Exception:
        pass
    try:
        microdata = MicrodataExtractor().extract_items(doc, base_url, base_url)[:MAX_STRUCTURED]
    except Exception:
        microdata = []
    return jsonld, opengraph, microdata
