"""The demo brand websites, shipped as package data: `--dev` serves them at /demo/<name>/."""

from pathlib import Path

SITES_DIR = Path(__file__).resolve().parent / "sites"
