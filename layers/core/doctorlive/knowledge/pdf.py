"""Text per page from a PDF, with failures a person understands."""
from __future__ import annotations

import io


class UnreadableDocument(Exception):
    """The document cannot be ingested; the message is shown to the admin as the reason."""


def extract_pages(data: bytes) -> list[str]:
    if not data:
        raise UnreadableDocument("The file is empty.")
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise UnreadableDocument("The file is not a PDF.")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Some PDFs are "encrypted" with an empty user password and open fine.
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # unsupported cipher and the like
                raise UnreadableDocument("The PDF is password-protected; upload an unprotected copy.") from exc
            if not opened:
                raise UnreadableDocument("The PDF is password-protected; upload an unprotected copy.")
        pages = [(page.extract_text() or "") for page in reader.pages]
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableDocument("The PDF is damaged and could not be read.") from exc
    if not pages:
        raise UnreadableDocument("The PDF has no pages.")
    if not any(p.strip() for p in pages):
        raise UnreadableDocument("The PDF has no extractable text; it may be a scanned image. "
                                 "Upload a PDF with selectable text.")
    return pages
