"""Reading a document file's text: .txt, .md, .html, .docx and .pdf (its text layer).

Tables become one line per row with cells separated by tabs, and headings and list items are
marked as Markdown marks them ('## ', '- '), so a reader sees a row, a section and a list item
whatever the format. The document's identity is the sha256 of its bytes: the same file read twice is
the same document.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "note.md"
>>> _ = path.write_text("# Learning day\\n\\nHalton offered to share.\\n")
>>> doc = read_document(path)
>>> doc.title, doc.text.splitlines()[-1], len(doc.sha256)
('Learning day', 'Halton offered to share.', 64)
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import GraphError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
MAX_BYTES = 50 * 1024 * 1024


class DocumentError(GraphError):
    """A file that cannot be read as a document."""


@dataclass(frozen=True)
class SourceText:
    name: str  # the file's name as given
    title: str
    text: str
    sha256: str

    @property
    def document_id(self) -> str:
        """The graph id of the document: the same for the same bytes, whatever the name."""
        return f"doc-{self.sha256[:16]}"


def read_document(path: Path | str) -> SourceText:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return read_bytes(path.name, data)


def read_bytes(name: str, data: bytes) -> SourceText:
    """The text of a file's bytes, by its name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{name}: cannot read {suffix or 'files without a suffix'}: "
                            f"give a {', '.join(SUFFIXES)} file")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        if suffix in (".txt", ".md"):
            text, title = _decode(name, data), None
        elif suffix in (".html", ".htm"):
            text, title = _html(data)
        elif suffix == ".docx":
            text, title = _docx(data)
        else:
            text, title = _pdf(data)
    except DocumentError:
        raise
    except Exception as exc:  # a damaged file: say which and why, never a traceback
        raise DocumentError(f"{name}: not a readable {suffix} file ({type(exc).__name__}: "
                            f"{str(exc)[:120]})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise DocumentError(f"{name}: has no text (a scanned PDF needs OCR first)")
    return SourceText(name, title or _first_line(text) or Path(name).stem, text,
                      hashlib.sha256(data).hexdigest())


def _decode(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{name}: not UTF-8 or Windows-1252 text")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = re.sub(r"^[#*\s]+|[*\s]+$", "", line)
        if line:
            return line[:200]
    return ""


_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "blockquote", "br", "tr", "table", "ul", "ol", "header", "footer")


def _html(data: bytes) -> tuple[str, str | None]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(data)
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else None
    for row in tree.css("tr"):  # a table row on one line, cells apart
        # A cell's source line breaks are spaces in HTML; kept, they would end the row.
        cells = [" ".join(c.text(separator=" ").split()) for c in row.css("td, th")]
        row.replace_with("\n" + "\t".join(cells) + "\n")
    for level in range(1, 7):
        for node in tree.css(f"h{level}"):
            node.insert_before("\n\n" + "#" * level + " ")
    for node in tree.css("li"):
        node.insert_before("\n\n- ")
    for tag in _BLOCKS:
        for node in tree.css(tag):
            node.insert_after("\n\n")
    body = tree.body or tree.root
    text = body.text(separator="") if body is not None else ""
    text = re.sub(r"[ \u00a0]+", " ", text)
    text = re.sub(r"\n[ ]+", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", title


def _docx(data: bytes) -> tuple[str, str | None]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            parts.append(_docx_mark(block) + block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                parts.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
    title = document.core_properties.title or None
    return "\n\n".join(parts) + "\n", title


def _docx_mark(paragraph) -> str:
    """'## ' for a 'Heading 2' paragraph, '# ' for the title, '- ' for a list paragraph."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    level = re.fullmatch(r"Heading (\d)", style)
    if level:
        return "#" * min(6, int(level.group(1))) + " "
    if style == "Title":
        return "# "
    if style.startswith("List") or paragraph._p.pPr is not None and \
            paragraph._p.pPr.numPr is not None:
        return "- "
    return ""


def _pdf(data: bytes) -> tuple[str, str | None]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    title = reader.metadata.title if reader.metadata else None
    return "\n\n".join(pages) + "\n", title
