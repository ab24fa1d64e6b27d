"""What each ad platform rewards: headline lengths, text-on-image tolerance and standard CTA buttons.

Numbers follow the platforms' own published guidance (Meta ads guide, Google Ads responsive ads,
LinkedIn Sponsored Content specs); `ideal` is where nothing is truncated on any placement, `limit`
is where the platform cuts the text off or rejects it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlatformSpec:
    label: str
    headline_ideal: int
    headline_limit: int
    text_area_ideal: float  # share of the image that text may cover before delivery suffers
    cta_buttons: tuple[str, ...]


_COMMON_BUTTONS = ("learn more", "sign up", "download", "contact us", "subscribe", "apply now")

PLATFORMS: dict[str, PlatformSpec] = {
    "meta": PlatformSpec(
        label="Meta",
        headline_ideal=27,
        headline_limit=40,
        text_area_ideal=0.20,
        cta_buttons=(
            *_COMMON_BUTTONS,
            "shop now",
            "book now",
            "get offer",
            "get quote",
            "order now",
            "get started",
            "see menu",
            "send message",
            "watch more",
            "get showtimes",
        ),
    ),
    "google": PlatformSpec(
        label="Google",
        headline_ideal=30,
        headline_limit=30,
        text_area_ideal=0.20,
        cta_buttons=(
            *_COMMON_BUTTONS,
            "shop now",
            "book now",
            "get quote",
            "get started",
            "visit site",
            "buy now",
            "see more",
            "start now",
            "try now",
            "order now",
        ),
    ),
    "linkedin": PlatformSpec(
        label="LinkedIn",
        headline_ideal=70,
        headline_limit=200,
        text_area_ideal=0.25,
        cta_buttons=(*_COMMON_BUTTONS, "register", "request demo", "join", "attend", "apply", "view quote", "see more"),
    ),
}


def spec_for(platform: str) -> PlatformSpec:
    return PLATFORMS.get(platform, PLATFORMS["meta"])
