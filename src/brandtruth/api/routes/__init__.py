"""One router module per resource: runs (/workflow/...) and batches (/workflow/batch...)."""
