"""REST API and web pages: thin layers over the services."""

from ai_toolbox.api.app import create_app

__all__ = ["create_app"]
