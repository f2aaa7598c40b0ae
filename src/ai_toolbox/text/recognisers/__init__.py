"""Built-in PII recognisers. Each module registers its classes through `text.pii.register`,
the same door a third-party recogniser uses."""
