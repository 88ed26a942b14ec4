"""Small PDFs written by hand for the PDF reader's tests (no pypdf, no qpdf, no LibreOffice).

``write_pdf(pages, user_password=None)`` writes a valid PDF 1.4 byte string: each page has a
size, a content stream and optional fonts and images.  With ``user_password`` (or ``""``) the
file is encrypted with the standard security handler, revision 2 (RC4, 40-bit key — the
algorithm of PDF 1.7 §7.6.3, implemented here), which pdfium and pdfminer both read.
"""
from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass, field
from typing import Optional

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


@dataclass
class Image:
    width: int
    height: int
    data: bytes                       # already encoded for ``filter``
    filter: str = "DCTDecode"         # or "FlateDecode"
    colorspace: str = "DeviceRGB"
    bpc: int = 8


@dataclass
class PageSpec:
    width: float = 595.0
    height: float = 842.0
    content: bytes = b""
    fonts: dict = field(default_factory=dict)     # resource name -> font dict source, e.g. "/Type /Font ..."
    images: dict = field(default_factory=dict)    # resource name -> Image


HELVETICA = "/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"


def text_content(lines: list[tuple[float, float, str]], font: str = "F1", size: float = 12,
                 invisible: bool = False) -> bytes:
    """A content stream drawing ASCII/Latin-1 strings at (x, top) in points (top-left origin
    is converted by the caller's page height, so pass PDF y here)."""
    out = [b"BT"]
    if invisible:
        out.append(b"3 Tr")
    for x, y, s in lines:
        esc = s.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        out.append(b"/" + font.encode() + b" %g Tf 1 0 0 1 %g %g Tm (" % (size, x, y) + esc + b") Tj")
    out.append(b"ET")
    return b"\n".join(out)


def jpeg_of(im) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()


def blank_bilevel(width: int, height: int) -> Image:
    """A white 1-bit image of any size, compressed row by row (a 20000×20000 px page is ~60 KB)."""
    row = b"\xff" * ((width + 7) // 8)
    co = zlib.compressobj(9)
    parts = [co.compress(row) for _ in range(height)]
    parts.append(co.flush())
    return Image(width, height, b"".join(parts), "FlateDecode", "DeviceGray", 1)


def write_pdf(pages: list[PageSpec], user_password: Optional[str] = None, owner_password: str = "owner") -> bytes:
    objs: list[Optional[bytes]] = []          # object bodies (dict part), index = num - 1
    streams: dict[int, bytes] = {}

    def new(body: bytes = b"", stream: Optional[bytes] = None) -> int:
        objs.append(body)
        n = len(objs)
        if stream is not None:
            streams[n] = stream
        return n

    catalog = new()
    pages_obj = new()
    kids = []
    for p in pages:
        font_refs = {}
        for name, src in p.fonts.items():
            extra = b""
            if isinstance(src, tuple):            # (font dict source, ToUnicode CMap bytes)
                src, cmap = src
                extra = b" /ToUnicode %d 0 R" % new(b"<<", cmap)
            font_refs[name] = new(b"<< " + src.encode() + extra + b" >>")
        img_refs = {}
        for name, im in p.images.items():
            d = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent %d "
                 b"/Filter /%s" % (im.width, im.height, im.colorspace.encode(), im.bpc, im.filter.encode()))
            img_refs[name] = new(d, im.data)
        content = new(b"<<", p.content)
        res = b"<< /Font << " + b" ".join(b"/%s %d 0 R" % (k.encode(), v) for k, v in font_refs.items()) + b" >>"
        res += b" /XObject << " + b" ".join(b"/%s %d 0 R" % (k.encode(), v) for k, v in img_refs.items()) + b" >> >>"
        page = new(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources " % (pages_obj, p.width, p.height)
                   + res + b" /Contents %d 0 R >>" % content)
        kids.append(page)
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objs[pages_obj - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                           + b"] /Count %d >>" % len(kids))
    file_id = hashlib.md5(b"fixture%d" % len(objs)).digest()
    key = None
    encrypt = None
    if user_password is not None:
        perms = -44                                   # print allowed, modify/copy not
        o_key = hashlib.md5((owner_password.encode("latin-1") + _PAD)[:32]).digest()[:5]
        o_val = rc4(o_key, (user_password.encode("latin-1") + _PAD)[:32])
        h = hashlib.md5((user_password.encode("latin-1") + _PAD)[:32] + o_val
                        + perms.to_bytes(4, "little", signed=True) + file_id)
        key = h.digest()[:5]
        u_val = rc4(key, _PAD)
        encrypt = new(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P %d /O <%s> /U <%s> >>"
                      % (perms, o_val.hex().encode(), u_val.hex().encode()))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs):
        n = i + 1
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n)
        if n in streams:
            data = streams[n]
            if key is not None and n != encrypt:
                okey = hashlib.md5(key + n.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
                data = rc4(okey, data)
            d = body if body != b"<<" else b"<<"
            out.write(d + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream\n")
        else:
            out.write(body + b"\n")
        out.write(b"endobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    trailer = b"<< /Size %d /Root %d 0 R /ID [<%s> <%s>]" % (len(objs) + 1, catalog, file_id.hex().encode(),
                                                             file_id.hex().encode())
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % encrypt
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def tounicode_cmap(first: int, last: int, to: int) -> bytes:
    """A ToUnicode CMap mapping byte codes first..last to code points from ``to`` on (a wrong
    map like this is what makes a junk text layer)."""
    return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Junk def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"1 beginbfrange <%02X> <%02X> <%04X> endbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n" % (first, last, to))


JUNK_FONT = (HELVETICA, tounicode_cmap(0x20, 0x7E, 0xAC00))   # every character comes out as Hangul


def text_page(lines: list[str], size: float = 12, **kw) -> PageSpec:
    """A page of Helvetica lines from the top."""
    h = kw.get("height", 842.0)
    placed = [(72, h - 72 - i * size * 1.5, s) for i, s in enumerate(lines)]
    return PageSpec(content=text_content(placed, size=size), fonts={"F1": HELVETICA}, **kw)


def image_page(im, width: float = 595.0, height: float = 842.0, overlay: bytes = b"", fonts=None) -> PageSpec:
    """A page that is one picture (a PIL image as JPEG), optionally with a text layer over it."""
    content = b"q %g 0 0 %g 0 0 cm /Im1 Do Q\n" % (width, height) + overlay
    return PageSpec(width, height, content, fonts or {}, {"Im1": Image(im.width, im.height, jpeg_of(im))})
