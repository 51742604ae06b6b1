"""Meetings: the conferences where documents are approved, and their minutes."""
