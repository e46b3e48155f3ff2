"""The REST API, version 1: /api/v1/ (articles, claims, sources, outlets, evidence, ClaimReview)."""
