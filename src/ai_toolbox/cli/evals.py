"""`ai-toolbox eval ...`: each capability adds its evaluation command to `eval_app`."""

from ai_toolbox.cli.common import eval_app

__all__ = ["eval_app"]
