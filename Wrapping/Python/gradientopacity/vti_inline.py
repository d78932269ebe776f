"""Inline copy of a .vti whose data are appended raw, for VTKs that cannot
read appended raw data with the system's libexpat.

Since the fix of CVE-2023-52425 ("reparse deferral"; Debian bookworm's
libexpat1 from 2.5.0-1+deb12u2, expat >= 2.6 elsewhere) expat holds back
the start of <AppendedData> until it has seen more input, so VTKs that do not
switch the deferral off (ParaView 5.11's VTK 9.2; fixed upstream in VTK 9.3,
VTK issue 19258) feed the raw bytes to the XML parser and fail with "junk
after document element" or "not well-formed (invalid token)".

The same file with every array written inline (format="binary") is plain
XML and reads everywhere. The conversion only re-encodes each array's bytes
in base64, exactly as vtkXMLWriter lays out inline data (uncompressed: the
size header and the data in one base64 run; compressed: the block header
and the compressed blocks in two runs), so nothing is decompressed and the
values are bit for bit those of the file.
"""
import base64
import re
import struct

_VTKFILE = re.compile(rb"<VTKFile\b[^>]*>")
_DATAARRAY = re.compile(rb"<DataArray\b([^>]*?)(/?)>")
_APPENDED = re.compile(rb"<AppendedData\b([^>]*)>")


class ConversionError(Exception):
    """The file is not an appended-raw .vti this module can convert."""


def _attr(attrs, name):
    m = re.search(rb"\b" + name + rb'\s*=\s*"([^"]*)"', attrs)
    return None if m is None else m.group(1).decode("latin-1")


def has_appended_raw(path):
    """True when the file's XML head declares raw appended data."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    m = _APPENDED.search(head)
    return m is not None and (_attr(m.group(1), b"encoding") or "").lower() == "raw"


def inline_bytes(path):
    """The file's content with every appended array moved inline (bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    app = _APPENDED.search(data)
    if app is None or (_attr(app.group(1), b"encoding") or "").lower() != "raw":
        raise ConversionError("no raw <AppendedData> element")
    start = data.find(b"_", app.end())
    if start < 0:
        raise ConversionError("<AppendedData> without its '_' marker")
    raw = memoryview(data)[start + 1:]
    head = data[:app.start()]

    vf = _VTKFILE.search(head)
    if vf is None:
        raise ConversionError("no <VTKFile> element")
    attrs = vf.group(0)
    order = "<" if (_attr(attrs, b"byte_order") or "LittleEndian") == "LittleEndian" else ">"
    header_type = _attr(attrs, b"header_type") or "UInt32"
    if header_type not in ("UInt32", "UInt64"):
        raise ConversionError("header_type %s" % header_type)
    hfmt = "I" if header_type == "UInt32" else "Q"
    hsize = struct.calcsize(hfmt)
    compressed = _attr(attrs, b"compressor") is not None

    def header_ints(offset, count):
        end = offset + count * hsize
        if end > len(raw):
            raise ConversionError("appended data end before an array's header")
        return struct.unpack(order + hfmt * count, raw[offset:end])

    def inline_text(offset):
        if compressed:
            nblocks = header_ints(offset, 1)[0]
            ints = header_ints(offset, 3 + nblocks)
            hlen = (3 + nblocks) * hsize
            dlen = sum(ints[3:])
            if offset + hlen + dlen > len(raw):
                raise ConversionError("an array's compressed blocks run past the end of the file")
            return (base64.b64encode(raw[offset:offset + hlen])
                    + base64.b64encode(raw[offset + hlen:offset + hlen + dlen]))
        nbytes = header_ints(offset, 1)[0]
        if offset + hsize + nbytes > len(raw):
            raise ConversionError("an array's data run past the end of the file")
        return base64.b64encode(raw[offset:offset + hsize + nbytes])

    out = []
    pos = 0
    for m in _DATAARRAY.finditer(head):
        a = m.group(1)
        if (_attr(a, b"format") or "") != "appended":
            continue
        off = _attr(a, b"offset")
        if off is None or not off.strip().isdigit():
            raise ConversionError("an appended DataArray without a valid offset")
        a = re.sub(rb'\bformat\s*=\s*"appended"', b'format="binary"', a)
        a = re.sub(rb'\boffset\s*=\s*"[^"]*"', b"", a)
        text = inline_text(int(off))
        out.append(head[pos:m.start()])
        if m.group(2):  # <DataArray .../>: give it a body
            out.append(b"<DataArray" + a + b">\n" + text + b"\n</DataArray>")
        else:
            out.append(b"<DataArray" + a + b">\n" + text + b"\n")
        pos = m.end()
    out.append(head[pos:])
    out.append(b"</VTKFile>\n")
    return b"".join(out)
