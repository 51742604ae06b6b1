"""Keeping an installation: backups, restores, the stored files checked against the database."""
