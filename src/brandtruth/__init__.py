"""BrandTruth: ad creatives that say only what the brand's own site backs up (see ARCHITECTURE.md)."""
