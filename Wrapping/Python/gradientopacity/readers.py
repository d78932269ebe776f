"""Reading a volume for the gradient-opacity tool: format detection by
content (then extension), VTK readers, and checks that give a clear reason
when the input is not a usable 3D scalar volume.

read_volume(path) -> (vtkImageData, format_name); raises InputError.
"""
import gzip
import os
import sys
from contextlib import contextmanager

SUPPORTED = (
    ".vti (VTK XML image)",
    ".mhd/.mha (MetaImage)",
    ".nii/.nii.gz (NIfTI-1)",
    ".nrrd/.nhdr (NRRD)",
    ".slc (SLC)",
    ".vtk (VTK legacy structured points)",
    "a folder holding one DICOM series",
)


class InputError(Exception):
    """The input cannot be used; the message says why (exit code 3)."""


def supported_text():
    return "supported formats: " + "; ".join(SUPPORTED)


# ---------------------------------------------------------------------------
# Format detection
def _head(path, n=512):
    with open(path, "rb") as f:
        return f.read(n)


def sniff(path):
    """Format name from the file's first bytes, or None."""
    head = _head(path)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as f:
                inner = f.read(348)
        except (OSError, EOFError):
            return "gzip"
        if len(inner) >= 348 and inner[344:347] in (b"n+1", b"ni1"):
            return "nifti"
        return "gzip"
    if len(head) >= 348 and head[344:347] in (b"n+1", b"ni1"):
        return "nifti"
    if head.startswith(b"\x89PNG"):
        return "png"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if len(head) >= 132 and head[128:132] == b"DICM":
        return "dicom-file"
    text = head.lstrip()
    if text.startswith(b"NRRD"):
        return "nrrd"
    if text.startswith(b"# vtk DataFile"):
        return "vtk-legacy"
    if text.startswith(b"<?xml") or text.startswith(b"<VTKFile"):
        return "vti" if b"ImageData" in head else "xml"
    if text.startswith(b"11111"):
        return "slc"
    low = text.lower()
    if low.startswith(b"objecttype") or low.startswith(b"ndims") or b"\nndims" in low[:400]:
        return "metaimage"
    return None


_EXT = {
    ".vti": "vti", ".mhd": "metaimage", ".mha": "metaimage", ".nii": "nifti",
    ".nii.gz": "nifti", ".nrrd": "nrrd", ".nhdr": "nrrd", ".slc": "slc", ".vtk": "vtk-legacy",
    ".dcm": "dicom-file",
}


def extension_format(path):
    low = path.lower()
    if low.endswith(".nii.gz"):
        return "nifti"
    return _EXT.get(os.path.splitext(low)[1])


# ---------------------------------------------------------------------------
def _nrrd_reader():
    # ParaView's VTK registers an object-factory override that turns
    # vtkNrrdReader into vtkPNrrdReader (needs MPI); build the plain one.
    from vtkmodules.vtkCommonCore import vtkObjectFactory
    from vtkmodules.vtkIOImage import vtkNrrdReader

    vtkObjectFactory.SetAllEnableFlags(False, "vtkNrrdReader")
    try:
        reader = vtkNrrdReader()
    finally:
        vtkObjectFactory.SetAllEnableFlags(True, "vtkNrrdReader")
    return reader


def _make_reader(fmt, path):
    if fmt == "vti":
        from vtkmodules.vtkIOXML import vtkXMLImageDataReader
        r = vtkXMLImageDataReader()
        r.SetFileName(path)
    elif fmt == "metaimage":
        from vtkmodules.vtkIOImage import vtkMetaImageReader
        r = vtkMetaImageReader()
        r.SetFileName(path)
    elif fmt == "nifti":
        from vtkmodules.vtkIOImage import vtkNIFTIImageReader
        r = vtkNIFTIImageReader()
        r.SetFileName(path)
    elif fmt == "nrrd":
        r = _nrrd_reader()
        r.SetFileName(path)
    elif fmt == "slc":
        from vtkmodules.vtkIOImage import vtkSLCReader
        r = vtkSLCReader()
        r.SetFileName(path)
    elif fmt == "vtk-legacy":
        from vtkmodules.vtkIOLegacy import vtkStructuredPointsReader
        r = vtkStructuredPointsReader()
        r.SetFileName(path)
    elif fmt == "dicom":
        from vtkmodules.vtkIOImage import vtkDICOMImageReader
        r = vtkDICOMImageReader()
        r.SetDirectoryName(path)
    else:
        raise AssertionError(fmt)
    return r


FORMAT_NAMES = {
    "vti": "VTK XML image (.vti)", "metaimage": "MetaImage", "nifti": "NIfTI-1",
    "nrrd": "NRRD", "slc": "SLC", "vtk-legacy": "VTK legacy structured points",
    "dicom": "DICOM series",
}


def detect_format(path):
    """(format, reason-if-unusable)."""
    if not os.path.exists(path):
        raise InputError("input not found: %s" % path)
    if os.path.isdir(path):
        files = [f for f in os.listdir(path) if os.path.isfile(os.path.join(path, f))]
        if not files:
            raise InputError("input folder is empty: %s (a folder must hold one DICOM series)" % path)
        return "dicom"
    if not os.access(path, os.R_OK):
        raise InputError("input is not readable (permission denied): %s" % path)
    if os.path.getsize(path) == 0:
        raise InputError("input file is empty: %s" % path)
    by_content = sniff(path)
    by_ext = extension_format(path)
    if by_content in ("png", "jpeg"):
        raise InputError("%s is a 2D %s image, not a volume; %s"
                         % (path, by_content.upper(), supported_text()))
    if by_content == "dicom-file":
        raise InputError("%s is a single DICOM file: pass the folder that holds the series"
                         % path)
    if by_content in FORMAT_NAMES:
        return by_content
    if by_content == "xml":
        raise InputError("%s is a VTK XML file but not image data (.vti); %s"
                         % (path, supported_text()))
    if by_ext == "metaimage" and by_content is None:
        # MetaImage headers have no magic; let the reader judge it.
        return "metaimage"
    if by_ext is not None:
        raise InputError("%s is named like a %s file but its content is not one "
                         "(it starts with %r)" % (path, FORMAT_NAMES.get(by_ext, by_ext),
                                                  _head(path, 24)))
    raise InputError("unsupported or unrecognised input format: %s; %s" % (path, supported_text()))


_MET_SIZES = {"MET_CHAR": 1, "MET_UCHAR": 1, "MET_SHORT": 2, "MET_USHORT": 2, "MET_INT": 4,
              "MET_UINT": 4, "MET_FLOAT": 4, "MET_DOUBLE": 8, "MET_LONG_LONG": 8,
              "MET_ULONG_LONG": 8}


def check_metaimage(path):
    """MetaIO only prints "data not read completely" on std::cerr and VTK
    returns a half-zero volume: check the data size ourselves."""
    with open(path, "rb") as f:
        raw = f.read(65536)
    fields, offset = {}, 0
    for line in raw.split(b"\n"):
        offset += len(line) + 1
        if b"=" not in line:
            continue
        k, v = line.split(b"=", 1)
        k = k.strip().decode("latin-1").lower()
        fields[k] = v.strip().decode("latin-1")
        if k == "elementdatafile":
            break
    else:
        raise InputError("%s is not a MetaImage header (no ElementDataFile)" % path)
    try:
        dims = [int(t) for t in fields.get("dimsize", "").split()]
    except ValueError:
        dims = []
    if not dims:
        raise InputError("%s: MetaImage header without a valid DimSize" % path)
    ndims = int(fields.get("ndims", len(dims)))
    if ndims > 3 and any(d > 1 for d in dims[3:]):
        raise InputError("%s is a %dD input (DimSize %s); the tool needs one 3D scalar volume"
                         % (path, ndims, " ".join(map(str, dims))))
    if fields.get("compresseddata", "false").lower() == "true":
        return
    size = _MET_SIZES.get(fields.get("elementtype", "").upper())
    if size is None:
        return
    channels = int(fields.get("elementnumberofchannels", "1") or 1)
    need = size * channels
    for d in dims:
        need *= d
    datafile = fields["elementdatafile"]
    if datafile.upper() == "LOCAL":
        have = os.path.getsize(path) - offset
    elif " " in datafile or "%" in datafile or datafile.upper().startswith("LIST"):
        return
    else:
        full = datafile if os.path.isabs(datafile) else os.path.join(os.path.dirname(path), datafile)
        if not os.path.exists(full):
            raise InputError("%s: its data file %s is missing" % (path, full))
        have = os.path.getsize(full)
    if have < need:
        raise InputError("%s is truncated: %d bytes of voxel data, the header needs %d"
                         % (path, have, need))


def check_vti(path):
    """VTK 9.2 reads a truncated file of raw appended data without an error
    (garbage values): check that every appended array lies in the file."""
    from . import vti_inline
    if vti_inline.appended_encoding(path):
        try:
            vti_inline.check_appended(path)
        except vti_inline.ConversionError as exc:
            raise InputError("could not read %s as %s: %s" % (path, FORMAT_NAMES["vti"], exc))


@contextmanager
def _captured_fd2():
    """Capture what C++ code writes to file descriptor 2 (MetaIO, NIfTI)."""
    import tempfile
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        box = []
        try:
            yield box
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            box.append(tmp.read().decode("utf-8", "replace"))


def read_volume(path, progress_step=None, messages=None):
    """Read `path`; returns (vtkImageData, format). Raises InputError.
    `messages`: an installed vtk_messages.VTKMessages (one is installed for
    the call when None)."""
    from .vtk_messages import VTKMessages, first_error

    fmt = detect_format(path)
    if messages is None:
        messages = VTKMessages().install()
    messages.drain()
    reader = _make_reader(fmt, path)
    if progress_step is not None:
        progress_step.watch(reader)
    if fmt == "metaimage":
        check_metaimage(path)
    if fmt == "vti":
        check_vti(path)
    try:
        with _captured_fd2() as captured:
            reader.Update()
    except Exception as exc:  # noqa: BLE001 - wrapped readers rarely raise
        raise InputError("could not read %s as %s: %s" % (path, FORMAT_NAMES[fmt], exc))
    err = first_error(messages.drain())
    if not err and "not read completely" in (captured[0] if captured else ""):
        err = "the voxel data is truncated"
    if err and fmt == "vti":
        reader, err = _reread_vti_inline(path, reader, err, messages)
    image = reader.GetOutput()
    if err:
        if fmt == "dicom":
            raise InputError("no readable DICOM series in folder %s (%s)" % (path, err))
        raise InputError("could not read %s as %s: %s" % (path, FORMAT_NAMES[fmt], err))
    check_volume(image, path, fmt, reader)
    out = image.NewInstance()
    out.ShallowCopy(image)
    if fmt == "dicom" and dicom_spacing_swapped():
        # DICOM PixelSpacing is "row spacing (y) \\ column spacing (x)";
        # vtkDICOMImageReader before VTK 9.5.1 takes the first value as the
        # x spacing.
        sx, sy, sz = out.GetSpacing()
        out.SetSpacing(sy, sx, sz)
    return out, fmt


def vtk_version():
    """(major, minor, build) of the VTK in use."""
    from vtkmodules.vtkCommonCore import vtkVersion
    return (vtkVersion.GetVTKMajorVersion(), vtkVersion.GetVTKMinorVersion(),
            vtkVersion.GetVTKBuildVersion())


def dicom_spacing_swapped():
    """vtkDICOMImageReader reads PixelSpacing as (x, y) up to VTK 9.5.0 and as
    DICOM defines it, (row = y, column = x), from 9.5.1 on."""
    return vtk_version() < (9, 5, 1)


def _reread_vti_inline(path, reader, err, messages):
    """A .vti with appended data that this VTK failed to read: read an
    inline copy (see vti_inline). Returns (reader, error or None)."""
    import tempfile
    from . import vti_inline
    from .vtk_messages import first_error

    if not vti_inline.appended_encoding(path):
        return reader, err
    try:
        text = vti_inline.inline_bytes(path)
    except (vti_inline.ConversionError, OSError, MemoryError) as exc:
        return reader, "%s; its appended data could not be moved inline either (%s)" % (err, exc)
    with tempfile.TemporaryDirectory(prefix="gradientopacity-vti-") as tmp:
        copy = os.path.join(tmp, "inline.vti")
        with open(copy, "wb") as f:
            f.write(text)
        del text
        retry = _make_reader("vti", copy)
        messages.drain()
        retry.Update()
        err2 = first_error(messages.drain())
    if err2:
        return reader, ("%s (this VTK %d.%d with this system's libexpat cannot read appended "
                        ".vti data, VTK issue 19258; an inline copy failed too: %s). Re-save the "
                        "file with inline data (vtkXMLImageDataWriter.SetDataModeToBinary(), or "
                        "in ParaView: Save Data, Data Mode Binary)"
                        % ((err,) + vtk_version()[:2] + (err2,)))
    return retry, None


def check_volume(image, path, fmt, reader=None):
    if image is None or image.GetNumberOfPoints() == 0:
        if fmt == "dicom":
            raise InputError("no readable DICOM series in folder %s" % path)
        raise InputError("could not read %s as %s: no voxels" % (path, FORMAT_NAMES[fmt]))
    scalars = image.GetPointData().GetScalars()
    if scalars is None:
        names = [image.GetPointData().GetArrayName(i)
                 for i in range(image.GetPointData().GetNumberOfArrays())]
        if names:
            # Use the first 1-component array as scalars.
            for n in names:
                a = image.GetPointData().GetArray(n)
                if a is not None and a.GetNumberOfComponents() == 1:
                    image.GetPointData().SetActiveScalars(n)
                    scalars = a
                    break
        if scalars is None:
            raise InputError("%s has no point scalars to render (arrays: %s)"
                             % (path, ", ".join(n for n in names if n) or "none"))
    ncomp = scalars.GetNumberOfComponents()
    if fmt == "nifti" and reader is not None and reader.GetTimeDimension() > 1:
        raise InputError("%s is a 4D input (%d volumes of %s); the tool needs one 3D scalar "
                         "volume: extract one volume first" % (
                             path, reader.GetTimeDimension(),
                             "x".join(str(d) for d in image.GetDimensions())))
    if ncomp != 1:
        what = "a 4D (time or multi-volume) input" if fmt in ("nifti", "metaimage", "nrrd") \
            else "a multi-component (e.g. colour) input"
        if fmt == "nifti" and reader is not None:
            try:
                dims = [reader.GetNIFTIHeader().GetDim(i) for i in range(8)]
                if dims[0] >= 4 and dims[4] > 1:
                    what = "a 4D input (%d volumes)" % dims[4]
            except Exception:  # noqa: BLE001
                pass
        raise InputError("%s is %s with %d components per voxel; the tool needs one 3D "
                         "scalar volume" % (path, what, ncomp))
    dims = image.GetDimensions()
    if min(dims) < 2:
        raise InputError("%s is a 2D image (%dx%dx%d voxels), not a volume"
                         % ((path,) + tuple(dims)))
    spacing = image.GetSpacing()
    for s in spacing:
        if not (s > 0 and s < float("inf")):
            raise InputError("%s has an invalid voxel spacing %s" % (path, tuple(spacing)))
