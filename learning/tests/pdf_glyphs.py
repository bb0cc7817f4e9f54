"""Where each glyph of a PDF page stands, read from the content stream: an extraction that does not depend
on pypdf's guesses about reading order. fpdf2 with text shaping places every glyph with its own text
matrix (`Tm`), so each piece of text has its x position; after a line's last glyph it moves the text
position to the line's end, so the largest x of a line is where it ends."""

import io
import re
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ContentStream


@dataclass
class Line:
    y: float
    pieces: list[tuple[float, str]] = field(default_factory=list)  # (x where the text starts, text)
    positions: list[float] = field(default_factory=list)  # every x the text position was moved to

    @property
    def start(self) -> float:
        return min(self.positions)

    @property
    def end(self) -> float:
        return max(self.positions)

    def left_to_right(self) -> str:
        return "".join(text for _, text in sorted(self.pieces, key=lambda piece: piece[0]))

    def right_to_left(self) -> str:
        return "".join(text for _, text in sorted(self.pieces, key=lambda piece: -piece[0]))


def _to_unicode(font) -> dict[int, str]:
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, text in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(text, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                table[code] = chr(start + offset)
    return table


def page_lines(pdf: bytes, page: int = 0) -> list[Line]:
    """The page's lines from top to bottom, each with its pieces of text and their x positions."""
    reader = PdfReader(io.BytesIO(pdf))
    pdf_page = reader.pages[page]
    fonts = {name: _to_unicode(font.get_object()) for name, font in pdf_page["/Resources"]["/Font"].items()}
    lines: dict[float, Line] = {}
    table, x, y = {}, 0.0, 0.0
    for operands, operator in ContentStream(pdf_page.get_contents(), reader).operations:
        if operator == b"Tf":
            table = fonts[operands[0]]
        elif operator in (b"Td", b"Tm"):
            x, y = float(operands[-2]), float(operands[-1])
            lines.setdefault(round(y, 1), Line(y)).positions.append(x)
        elif operator == b"Tj":
            raw = operands[0].original_bytes if hasattr(operands[0], "original_bytes") else bytes(operands[0])
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            text = "".join(table.get(code, "\ufffd") for code in codes)
            lines.setdefault(round(y, 1), Line(y)).pieces.append((x, text))
    return [lines[key] for key in sorted(lines, reverse=True) if lines[key].pieces]


def glyph_forms(pdf: bytes, page: int = 0) -> dict[str, int]:
    """How many different glyphs stand for each character on the page. Shaped Arabic draws a letter in
    its initial, medial, final or isolated form, so a letter used in two positions has two glyphs;
    unshaped text has exactly one glyph per character."""
    reader = PdfReader(io.BytesIO(pdf))
    forms: dict[str, int] = {}
    for font in reader.pages[page]["/Resources"]["/Font"].values():
        for text in _to_unicode(font.get_object()).values():
            forms[text] = forms.get(text, 0) + 1
    return forms
