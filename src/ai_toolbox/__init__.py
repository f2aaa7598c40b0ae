"""AI Toolbox: self-hosted AI tools for documents, enquiries and data analysis."""

__version__ = "0.1.0"
