"""One module per page group; each exposes `router` and is listed in `web.routes.PAGE_MODULES`."""
