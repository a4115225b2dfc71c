"""One module per page. Capability pages are owned by their capability engineers."""
