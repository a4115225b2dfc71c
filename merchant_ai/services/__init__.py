"""One module per capability: store -> features -> model -> result. No Qt, no printing."""
