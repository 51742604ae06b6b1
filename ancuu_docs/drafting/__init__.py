"""Drafting: DOCX drafts in the Party document format from templates and a short form."""
