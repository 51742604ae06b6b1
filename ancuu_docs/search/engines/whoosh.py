"""The Whoosh engine: the embedded, pure-Python default.

Used as it goes fastest: one folded field for the text (and its words again without
positions, for plain words), tokens from our own analysis (no Whoosh analyzer chain),
queries answered with arrays over Whoosh's postings (`whoosh_arrays`), columns and lengths
read once per index layout, a searcher kept open per thread (`whoosh_reader`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import time
import zlib
from array import array
from contextlib import contextmanager
from pathlib import Path

from whoosh import fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import TOC, LockError, clean_files
from whoosh.index import IndexError as WhooshIndexError
from whoosh.reading import SegmentReader
from whoosh.system import _INT_SIZE, pack_uint

from .. import analysis
from ..analysis import STORED, TEXT, IndexedEntry
from .base import Engine, Writer
from .whoosh_arrays import WORDS, UnreadablePostings
from .whoosh_reader import WhooshReader, storage

# Segments under TINY documents are merged together once there are MERGE_AT of them.
TINY = 200
MERGE_AT = 12
# Posting blocks are not compressed: at 20,000 documents decompressing them took half of a
# phrase's time (88 against 46 ms), for an index twice as large (267 against 130 MB).
COMPRESSION = 0


class Analysed(str):
    """Tokens analysed already, indexed as they are (a string to Whoosh, which tokenizes a
    tuple its own way)."""

    tokens: list

    def __new__(cls, tokens: list) -> Analysed:
        value = super().__new__(cls, "")
        value.tokens = tokens
        return value


class PreAnalysed(Tokenizer):
    """Yields the tokens it is given (indexing); analyses a string the shared way (anything
    Whoosh itself asks, such as `more_like`)."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, mode="", **kwargs):
        tokens = (
            value.tokens
            if isinstance(value, Analysed)
            else analysis.folded_tokens(analysis.normalised(value))
        )
        token = Token(positions, chars, mode=mode, **kwargs)
        for found in tokens:
            token.text = found.text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = found.position
            if chars:
                token.startchar, token.endchar = found.start, found.end
            yield token


class PackedPositions(formats.Positions):
    """Whoosh's positions, packed as unsigned ints instead of pickled: a phrase reads the
    positions of thousands of documents, and unpickling each list was most of its time.
    (The count first, as Whoosh's own, which reads a term's frequency from it.)"""

    def encode(self, poslist):
        return pack_uint(len(poslist)) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring):
        return array("I", valuestring[_INT_SIZE:]).tolist()


def _text(stored: bool) -> fields.TEXT:
    field = fields.TEXT(analyzer=PreAnalysed(), stored=stored, phrase=True)
    field.format = PackedPositions()
    return field


SCHEMA = fields.Schema(
    key=fields.ID(stored=True, unique=True, sortable=True),
    kind=fields.ID(stored=True),
    public=fields.ID(sortable=True),  # "1" on the entries every member reads
    text=_text(False),
    # The text's words without positions: plain words are read here, five times faster
    # (a positional block unpickles every position with the ids).
    words=fields.TEXT(analyzer=PreAnalysed(), phrase=False),
    title=_text(True),
    summary=fields.STORED(),
    content=fields.STORED(),
    number=_text(True),
    refs=_text(False),
    doc_type=fields.ID(sortable=True),
    status=fields.ID(sortable=True),
    term=fields.ID(sortable=True),
    year=fields.ID(sortable=True),
    date=fields.DATETIME(sortable=True),
    stamp=fields.ID(sortable=True),
    origin=fields.ID(sortable=True),
    issuer=fields.ID(sortable=True),
)


def _document(entry: IndexedEntry) -> dict:
    document = {
        "key": entry.key,
        "kind": entry.kind,
        "public": "1" if entry.public else "0",
        "date": entry.date,
        "stamp": entry.stamp,
        **entry.facets,
    }
    for name, tokens in entry.tokens.items():
        document[name] = Analysed(tokens)
    document[WORDS] = Analysed(entry.tokens[TEXT])
    for name in STORED:  # indexed fields store the text, the others are only stored
        document[f"_stored_{name}" if name in entry.tokens else name] = entry.stored[name]
    return document


# ---------------------------------------------------------------- writing


class WhooshWriter(Writer):
    def __init__(self, writer):
        self.writer = writer
        self.added = 0

    def update(self, entry: IndexedEntry) -> None:
        self.writer.update_document(**_document(entry))
        self.added += 1

    def add(self, entry: IndexedEntry) -> None:
        self.writer.add_document(**_document(entry))
        self.added += 1

    def delete(self, key: str) -> None:
        self.writer.delete_by_term("key", key)


def _merge_tiny(writer, segments):
    """A merge policy for single changes: merge only the small segments, once there are
    MERGE_AT of them, so the cost of a merge stays bounded (Whoosh's MERGE_SMALL can take a
    request into merging large segments)."""
    tiny = [segment for segment in segments if segment.doc_count_all() < TINY]
    if len(tiny) < MERGE_AT:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in tiny]


def _abandon(writer) -> None:
    """Cancel a writer whose block or commit failed, removing every file it had begun before
    its lock is released. Whoosh's own cancel leaves a failed commit's segment files (and,
    when closing them fails too, its temporary folder and its lock): on a full disk each retry
    added more, and the disk never came back."""
    storage, name = writer.storage, writer.indexname
    with contextlib.suppress(Exception):
        writer._close_segment()
    with contextlib.suppress(Exception):
        writer._tempstorage.destroy()
    with contextlib.suppress(Exception):  # every segment file the last committed TOC does not name
        toc = TOC.read(storage, name)
        clean_files(storage, name, toc.generation, toc.segments)
    with contextlib.suppress(Exception):
        writer.writelock.release()
    writer.is_closed = True


# What Whoosh raises when its files are missing, short or garbled: the system's and the
# decoders' errors, and its own IndexError (no TOC, an unknown format). Anything else raised
# inside a Whoosh call (a TypeError, a bare Exception about its own state) is a mistake in
# the calling code: a 500 with its trace, and the index stays in use.
FILE_ERRORS = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, WhooshIndexError)


def _raised_in_whoosh(exc: BaseException) -> bool:
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and f"{os.sep}whoosh{os.sep}" in frame.tb_frame.f_code.co_filename


def unreadable_files(exc: BaseException) -> bool:
    """Whether `exc` says the index files could not be read (then the index needs a rebuild)."""
    if isinstance(exc, UnreadablePostings):
        return True
    return isinstance(exc, FILE_ERRORS) and _raised_in_whoosh(exc)


class WhooshEngine(Engine):
    name = "whoosh"
    # A batch this large (an import) may take the time to merge as Whoosh does.
    BATCH_MERGE = 100

    def create(self, path: Path) -> None:
        storage(path).create_index(SCHEMA)

    def reader(self, path: Path) -> WhooshReader:
        return WhooshReader(path)

    @contextmanager
    def _whoosh_writer(self, path: Path, lock_timeout: float, **options):
        ix = storage(path).open_index()
        deadline = time.monotonic() + lock_timeout
        delay = 0.02
        while True:
            try:
                writer = ix.writer(codec=W3Codec(compression=COMPRESSION), **options)
                break
            except LockError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            yield writer
        except BaseException:
            _abandon(writer)
            raise

    @contextmanager
    def writer(self, path: Path, *, lock_timeout: float, bulk: bool | None):
        options = {"limitmb": 64, "procs": 1} if bulk else {}
        with self._whoosh_writer(path, lock_timeout, **options) as writer:
            ours = WhooshWriter(writer)
            yield ours
            # A request's commit never waits for a large merge (merging on every commit made
            # an occasional upload wait seconds); a batch merges as Whoosh does by default.
            if bulk or ours.added >= self.BATCH_MERGE:
                writer.commit(merge=True)
            else:
                writer.commit(mergetype=_merge_tiny)

    def optimize(self, path: Path, *, lock_timeout: float) -> None:
        with self._whoosh_writer(path, lock_timeout) as writer:
            writer.commit(optimize=True)

    def unreadable(self, exc: BaseException) -> bool:
        return unreadable_files(exc)
