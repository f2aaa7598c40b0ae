"""API routers, one module per capability."""
