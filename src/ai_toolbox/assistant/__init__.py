"""Customer-service assistant: knowledge bases, hybrid retrieval, grounded answers, hand-off, triage."""
