"""Inline copy of a .vti whose data are appended (raw or base64), for VTKs
that cannot read appended data with the system's libexpat.

Since the fix of CVE-2023-52425 ("reparse deferral"; Debian bookworm's
libexpat1 from 2.5.0-1+deb12u2, expat >= 2.6 elsewhere) expat holds back
the start of <AppendedData> until it has seen more input, so VTKs that do not
switch the deferral off (ParaView 5.11's VTK 9.2; fixed upstream in VTK 9.3,
VTK issue 19258) feed the appended section to the XML parser and fail with "junk
after document element" or "not well-formed (invalid token)" (raw and base64
appended data alike).

The same file with every array written inline (format="binary") is plain
XML and reads everywhere. The conversion only moves each array's bytes: raw
ones are encoded in base64 exactly as vtkXMLWriter lays out inline data
(uncompressed: the size header and the data in one base64 run; compressed:
the block header and the compressed blocks in two runs); base64 appended
data already have that layout and are moved as they are. Nothing is
decompressed: the values are bit for bit those of the file.
"""
import base64
import mmap
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


def appended_encoding(path):
    """"raw" or "base64" when the file's XML head declares appended data,
    else None."""
    with open(path, "rb") as f:
        head = f.read(1 << 24)
    m = _APPENDED.search(head)
    return None if m is None else (_attr(m.group(1), b"encoding") or "base64").lower()


class _Appended:
    """The layout of a file's raw appended data: where each appended array's
    bytes are, checked against the file's size."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        data = self.map
        app = _APPENDED.search(data, 0, min(len(data), 1 << 24))
        if app is None:
            raise ConversionError("no <AppendedData> element")
        self.encoding = (_attr(app.group(1), b"encoding") or "base64").lower()
        if self.encoding not in ("raw", "base64"):
            raise ConversionError("appended data encoding %s" % self.encoding)
        start = data.find(b"_", app.end())
        if start < 0:
            raise ConversionError("<AppendedData> without its '_' marker")
        self.base = start + 1
        self.head = data[:app.start()]
        vf = _VTKFILE.search(self.head)
        if vf is None:
            raise ConversionError("no <VTKFile> element")
        attrs = vf.group(0)
        self.order = "<" if (_attr(attrs, b"byte_order") or "LittleEndian") == "LittleEndian" else ">"
        header_type = _attr(attrs, b"header_type") or "UInt32"
        if header_type not in ("UInt32", "UInt64"):
            raise ConversionError("header_type %s" % header_type)
        self.hfmt = "I" if header_type == "UInt32" else "Q"
        self.hsize = struct.calcsize(self.hfmt)
        self.compressed = _attr(attrs, b"compressor") is not None
        found = []
        for m in _DATAARRAY.finditer(self.head):
            a = m.group(1)
            if (_attr(a, b"format") or "") != "appended":
                continue
            off = _attr(a, b"offset")
            if off is None or not off.strip().isdigit():
                raise ConversionError("an appended DataArray without a valid offset")
            found.append((m, _attr(a, b"Name") or "(unnamed)", int(off)))
        # (DataArray match, the array's inline text as a (begin, end) span
        # of the file for base64 data, or (header length, data length) at
        # its offset for raw data)
        self.arrays = []
        if self.encoding == "raw":
            for m, name, off in found:
                self.arrays.append((m, off, self._block(off, name)))
        else:
            # base64: the text of an array runs to the next array's offset, the
            # last one to the end of the base64 run.
            end = self.base
            alphabet = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
            while end < len(data) and data[end] in alphabet:
                end += 1
            if data.find(b"</AppendedData>", end) < 0:
                raise ConversionError("the file is truncated: no </AppendedData>")
            offsets = sorted(set(off for _, _, off in found)) + [end - self.base]
            for m, name, off in found:
                stop = offsets[offsets.index(off) + 1]
                if self.base + off >= end:
                    raise ConversionError("the file is truncated: array %s lies past the "
                                          "appended data" % name)
                self.arrays.append((m, off, (self.base + off, self.base + stop)))

    def _ints(self, offset, count, name):
        begin = self.base + offset
        end = begin + count * self.hsize
        if end > len(self.map):
            raise ConversionError("the file is truncated: array %s's header lies past its end" % name)
        return struct.unpack(self.order + self.hfmt * count, self.map[begin:end])

    def _block(self, offset, name):
        if self.compressed:
            nblocks = self._ints(offset, 1, name)[0]
            if nblocks > (len(self.map) - self.base) // self.hsize:
                raise ConversionError("array %s declares %d compressed blocks" % (name, nblocks))
            ints = self._ints(offset, 3 + nblocks, name)
            hlen, dlen = (3 + nblocks) * self.hsize, sum(ints[3:])
        else:
            hlen, dlen = self.hsize, self._ints(offset, 1, name)[0]
        have = len(self.map) - (self.base + offset + hlen)
        if dlen > have:
            raise ConversionError("the file is truncated: array %s needs %d bytes of appended "
                                  "data, %d remain" % (name, dlen, max(have, 0)))
        return hlen, dlen


def check_appended(path):
    """Raise ConversionError when an appended array lies past the end of the
    file (VTK 9.2 reads such a file without an error, as garbage)."""
    _Appended(path).map.close()


def inline_bytes(path):
    """The file's content with every appended array moved inline (bytes)."""
    layout = _Appended(path)
    raw = layout.map
    head = layout.head
    out = []
    pos = 0
    for m, off, span in layout.arrays:
        begin = layout.base + off
        hlen, dlen = span
        if layout.encoding == "base64":
            text = bytes(raw[span[0]:span[1]])
        elif layout.compressed:
            # Compressed: the block header and the blocks in two base64 runs.
            text = (base64.b64encode(raw[begin:begin + hlen])
                    + base64.b64encode(raw[begin + hlen:begin + hlen + dlen]))
        else:
            # Uncompressed: the size header and the data in one run.
            text = base64.b64encode(raw[begin:begin + hlen + dlen])
        a = re.sub(rb'\bformat\s*=\s*"appended"', b'format="binary"', m.group(1))
        a = re.sub(rb'\boffset\s*=\s*"[^"]*"', b"", a)
        out.append(head[pos:m.start()])
        if m.group(2):  # <DataArray .../>: give it a body
            out.append(b"<DataArray" + a + b">\n" + text + b"\n</DataArray>")
        else:
            out.append(b"<DataArray" + a + b">\n" + text + b"\n")
        pos = m.end()
    out.append(head[pos:])
    out.append(b"</VTKFile>\n")
    raw.close()
    return b"".join(out)
