"""Test helpers: one small synthetic volume written in every input format
the gradient-opacity tool reads (VTK writers where VTK has one; minimal
hand-written NRRD, SLC and DICOM files where it has none)."""
import os
import struct

import numpy as np

DIMS = (40, 36, 30)              # x, y, z
SPACING = (1.2, 1.0, 1.5)
ORIGIN = (-10.0, 5.0, 2.5)


def volume_array(seed=7):
    """uint8 array (nz, ny, nx): two blobs and a slab on a background, noise."""
    nx, ny, nz = DIMS
    z, y, x = np.meshgrid(np.arange(nz) * SPACING[2], np.arange(ny) * SPACING[1],
                          np.arange(nx) * SPACING[0], indexing="ij")
    v = np.full((nz, ny, nx), 20.0)
    r1 = np.sqrt((x - 18) ** 2 + (y - 16) ** 2 + (z - 20) ** 2)
    v += 120.0 / (1 + np.exp((r1 - 10.0) / 0.8))
    r2 = np.sqrt((x - 34) ** 2 + (y - 22) ** 2 + (z - 24) ** 2)
    v += 80.0 / (1 + np.exp((r2 - 5.0) / 0.8))
    v += 50.0 / (1 + np.exp((y - 30.0) / 0.8)) * (y > 26)
    v += np.random.default_rng(seed).normal(0, 4.0, v.shape)
    return np.clip(np.rint(v), 0, 255).astype(np.uint8)


def vtk_image(arr=None, spacing=SPACING, origin=ORIGIN, name="values"):
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.util.numpy_support import numpy_to_vtk
    if arr is None:
        arr = volume_array()
    nz, ny, nx = arr.shape
    img = vtkImageData()
    img.SetDimensions(nx, ny, nz)
    img.SetSpacing(*spacing)
    img.SetOrigin(*origin)
    a = numpy_to_vtk(arr.ravel(), deep=True)
    a.SetName(name)
    img.GetPointData().SetScalars(a)
    return img


def _vtk_write(writer, path, img):
    writer.SetFileName(path)
    writer.SetInputData(img)
    writer.Write()
    return path


def write_vti(path, img):
    from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
    return _vtk_write(vtkXMLImageDataWriter(), path, img)


def write_metaimage(path, img):
    from vtkmodules.vtkIOImage import vtkMetaImageWriter
    w = vtkMetaImageWriter()
    w.SetCompression(False)
    return _vtk_write(w, path, img)


def write_nifti(path, img):
    from vtkmodules.vtkIOImage import vtkNIFTIImageWriter
    return _vtk_write(vtkNIFTIImageWriter(), path, img)


def write_vtk_legacy(path, img):
    from vtkmodules.vtkIOLegacy import vtkStructuredPointsWriter
    w = vtkStructuredPointsWriter()
    w.SetFileTypeToBinary()
    return _vtk_write(w, path, img)


def write_nrrd(path, arr, spacing=SPACING, origin=ORIGIN):
    nz, ny, nx = arr.shape
    header = ("NRRD0004\ntype: uint8\ndimension: 3\nsizes: %d %d %d\n"
              "space dimension: 3\nspace directions: (%r,0,0) (0,%r,0) (0,0,%r)\n"
              "space origin: (%r,%r,%r)\nencoding: raw\n\n"
              % (nx, ny, nz, spacing[0], spacing[1], spacing[2], origin[0], origin[1], origin[2]))
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        f.write(np.ascontiguousarray(arr, dtype=np.uint8).tobytes())
    return path


def write_slc(path, arr, spacing=SPACING):
    """SLC as vtkSLCReader reads it: text header, a 1x1 icon, raw uint8 planes."""
    nz, ny, nx = arr.shape
    with open(path, "wb") as f:
        f.write(b"11111\n%d %d %d 8\n%r %r %r\n0 0 0 0\n1 1 X" % (
            nx, ny, nz, spacing[0], spacing[1], spacing[2]))
        f.write(b"\x00\x00\x00")           # the icon: 1x1 pixel, R G B planes
        f.write(np.ascontiguousarray(arr, dtype=np.uint8).tobytes())
    return path


# --- minimal DICOM (explicit-VR little-endian meta + dataset) ---------------
def _el(group, elem, vr, value):
    if isinstance(value, str):
        value = value.encode("ascii")
        if len(value) % 2:
            value += b"\0" if vr == "UI" else b" "
    if vr in ("OB", "OW", "UN", "SQ", "UT"):
        return struct.pack("<HH2sHI", group, elem, vr.encode(), 0, len(value)) + value
    return struct.pack("<HH2sH", group, elem, vr.encode(), len(value)) + value


def _us(v):
    return struct.pack("<H", v)


def write_dicom_series(folder, arr, spacing=SPACING, origin=ORIGIN):
    """One 16-bit MONOCHROME2 file per z slice, positions along +z.

    vtkDICOMImageReader (9.1/9.2) returns the slices of this series in
    reverse order and the rows bottom-up; the pixel data is written flipped
    in y and z so that the volume VTK reads back equals `arr` exactly."""
    os.makedirs(folder, exist_ok=True)
    arr = arr[::-1, ::-1]
    nz, ny, nx = arr.shape
    ts = "1.2.840.10008.1.2.1"
    sop_class = "1.2.840.10008.5.1.4.1.1.2"  # CT image storage
    for k in range(nz):
        uid = "1.2.826.0.1.3680043.9.7777.%d" % (k + 1)
        meta_body = (_el(0x0002, 0x0001, "OB", b"\x00\x01") + _el(0x0002, 0x0002, "UI", sop_class)
                     + _el(0x0002, 0x0003, "UI", uid) + _el(0x0002, 0x0010, "UI", ts))
        meta = _el(0x0002, 0x0000, "UL", struct.pack("<I", len(meta_body))) + meta_body
        z = origin[2] + k * spacing[2]
        ds = b"".join([
            _el(0x0008, 0x0016, "UI", sop_class), _el(0x0008, 0x0018, "UI", uid),
            _el(0x0008, 0x0060, "CS", "CT"),
            _el(0x0010, 0x0010, "PN", "Phantom^Test"),
            _el(0x0018, 0x0050, "DS", "%g" % spacing[2]),
            _el(0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.9.7777.100"),
            _el(0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.9.7777.101"),
            _el(0x0020, 0x0013, "IS", str(k + 1)),
            _el(0x0020, 0x0032, "DS", "%g\\%g\\%g" % (origin[0], origin[1], z)),
            _el(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0"),
            _el(0x0020, 0x1041, "DS", "%g" % z),
            _el(0x0028, 0x0002, "US", _us(1)),
            _el(0x0028, 0x0004, "CS", "MONOCHROME2"),
            _el(0x0028, 0x0010, "US", _us(ny)), _el(0x0028, 0x0011, "US", _us(nx)),
            _el(0x0028, 0x0030, "DS", "%g\\%g" % (spacing[1], spacing[0])),
            _el(0x0028, 0x0100, "US", _us(16)), _el(0x0028, 0x0101, "US", _us(16)),
            _el(0x0028, 0x0102, "US", _us(15)), _el(0x0028, 0x0103, "US", _us(0)),
            _el(0x7FE0, 0x0010, "OW", arr[k].astype("<u2").tobytes()),
        ])
        with open(os.path.join(folder, "slice%03d.dcm" % (k + 1)), "wb") as f:
            f.write(b"\0" * 128 + b"DICM" + meta + ds)
    return folder


def write_all(tmp):
    """Write the volume in every format; returns {name: path} and the array."""
    arr = volume_array()
    img = vtk_image(arr)
    out = {
        "vti": write_vti(os.path.join(tmp, "vol.vti"), img),
        "mhd": write_metaimage(os.path.join(tmp, "vol.mhd"), img),
        "mha": write_metaimage(os.path.join(tmp, "vol.mha"), img),
        "nii": write_nifti(os.path.join(tmp, "vol.nii"), img),
        "nii.gz": write_nifti(os.path.join(tmp, "vol.nii.gz"), img),
        "nrrd": write_nrrd(os.path.join(tmp, "vol.nrrd"), arr),
        "slc": write_slc(os.path.join(tmp, "vol.slc"), arr),
        "vtk": write_vtk_legacy(os.path.join(tmp, "vol.vtk"), img),
        "dicom": write_dicom_series(os.path.join(tmp, "dicom"), arr),
    }
    return out, arr
