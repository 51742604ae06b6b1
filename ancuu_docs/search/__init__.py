"""Full-text search. Only `engines/` imports an engine (whoosh, tantivy); the rest speaks in
documents and ids."""
