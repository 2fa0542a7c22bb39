"""Outbox, rendering per language, retries and rate limits, fan-out to platforms."""
