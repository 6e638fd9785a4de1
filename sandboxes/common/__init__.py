"""Plumbing both sandboxes share: storage, request log, rate limits, faults, push delivery, control API."""
