"""Thin adapters from platform events to commands, and from alerts to messages."""
