"""The registry: documents, their immutable versions, the lifecycle, numbering and the audit trail."""
