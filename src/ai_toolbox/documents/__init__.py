"""Document processing: ingest office files into one `Document`, then tools that work on it."""
