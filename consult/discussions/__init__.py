"""Threads with nested replies, edit history, issues raised and facilitator summaries."""
