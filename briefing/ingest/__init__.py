"""Files → documents: loaders per format, then cleaning that keeps every offset."""

from briefing.ingest.clean import CleanDocument, clean
from briefing.ingest.loaders import (
    SUPPORTED_SUFFIXES,
    Loaded,
    Record,
    SkipFile,
    load_file,
    load_text,
)

__all__ = ["SUPPORTED_SUFFIXES", "CleanDocument", "Loaded", "Record", "SkipFile", "clean", "load_file", "load_text"]
