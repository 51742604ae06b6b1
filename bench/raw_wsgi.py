"""The baseline for the HTTP benchmark: raw Whoosh behind a bare WSGI callable, answering
`/search?q=` on its own index of the same texts (bench/raw_whoosh.py) with its parser and
highlights, no framework, no auth, no permissions, no database."""

import json
import os
from pathlib import Path
from urllib.parse import parse_qs

from raw_whoosh import FIELD_BOOSTS, SCHEMA
from whoosh import index, qparser
from whoosh.highlight import ContextFragmenter, Highlighter, HtmlFormatter, WholeFragmenter

ix = index.open_dir(str(Path(os.environ["BENCH_INSTANCE"]) / "raw-index"))
parser = qparser.MultifieldParser(list(FIELD_BOOSTS), SCHEMA, fieldboosts=FIELD_BOOSTS)
titles = Highlighter(fragmenter=WholeFragmenter(), formatter=HtmlFormatter(tagname="mark"))
contents = Highlighter(
    fragmenter=ContextFragmenter(maxchars=240, surround=60), formatter=HtmlFormatter(tagname="mark")
)


def app(environ, start_response):
    q = parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0]
    with ix.searcher() as searcher:
        results = searcher.search(parser.parse(q), limit=10)
        hits = [
            {
                "key": hit["key"],
                "title": titles.highlight_hit(hit, "title_f", text=hit["title"]),
                "content": contents.highlight_hit(hit, "content_f", text=hit["content"], top=2),
            }
            for hit in results
        ]
        body = json.dumps({"total": len(results), "hits": hits}, ensure_ascii=False).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
