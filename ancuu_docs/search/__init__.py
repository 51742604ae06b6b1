"""Full-text search. Only `engine` imports whoosh; the rest speaks in documents and ids."""
