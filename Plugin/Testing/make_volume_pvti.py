"""Write a generated uint16 volume (default 512^3) as a .pvti of z slabs
(.vti pieces with inline binary data, sharing their boundary point layer as
ParaView's own parallel writer does), for a parallel reader: soft-edged
spheres and a slab over Gaussian noise (fixed seed). Used by
Plugin/benchmark_mpi_volume.sh; run with /usr/bin/python3.

    /usr/bin/python3 make_volume_pvti.py out.pvti [size] [pieces]
"""
import os
import sys

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOXML import vtkXMLImageDataWriter

SPACING = (0.5, 0.5, 0.8)


def slices(n, z0, z1, rng):
    """Slices z0..z1 (inclusive) of the volume, shape (z, y, x)."""
    out = np.empty((z1 - z0 + 1, n, n), dtype=np.uint16)
    ax = np.arange(n, dtype=np.float32)
    y, x = np.meshgrid(ax, ax, indexing="ij")
    spheres = [(0.3, 0.4, 0.5, 0.18, 1500.0), (0.7, 0.6, 0.4, 0.12, 900.0),
               (0.5, 0.5, 0.75, 0.08, 2500.0)]
    for z in range(z0, z1 + 1):
        v = np.full((n, n), 1000.0, dtype=np.float32)
        v += 600.0 * (x > 0.8 * n)
        for cx, cy, cz, r, a in spheres:
            d = np.sqrt((x - cx * n) ** 2 + (y - cy * n) ** 2 + (z - cz * n) ** 2) / (r * n)
            v += a / (1.0 + np.exp(np.minimum((d - 1.0) * 20.0, 60.0)))
        # noise seeded per slice: every piece sees the same voxels
        v += np.random.default_rng([2024, z]).normal(0.0, 30.0, (n, n)).astype(np.float32)
        out[z - z0] = np.clip(v, 0, 65535).astype(np.uint16)
    return out


def main():
    path = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 512
    pieces = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    os.makedirs(os.path.dirname(path), exist_ok=True)
    base = os.path.splitext(os.path.basename(path))[0]
    bounds = [round(i * (n - 1) / pieces) for i in range(pieces + 1)]
    entries = []
    for p in range(pieces):
        z0, z1 = bounds[p], bounds[p + 1]  # neighbours share the layer z1
        img = vtkImageData()
        img.SetExtent(0, n - 1, 0, n - 1, z0, z1)
        img.SetSpacing(*SPACING)
        arr = numpy_to_vtk(slices(n, z0, z1, None).ravel(), deep=1)
        arr.SetName("density")
        img.GetPointData().SetScalars(arr)
        name = "%s_%d.vti" % (base, p)
        w = vtkXMLImageDataWriter()
        w.SetInputData(img)
        w.SetFileName(os.path.join(os.path.dirname(path), name))
        w.SetDataModeToBinary()  # inline: appended data trips newer libexpat in VTK 9.2
        w.SetCompressorTypeToNone()
        if not w.Write():
            raise SystemExit("writing %s failed" % name)
        entries.append('    <Piece Extent="0 %d 0 %d %d %d" Source="%s"/>' % (n - 1, n - 1, z0, z1, name))
    with open(path, "w") as f:
        f.write('<?xml version="1.0"?>\n<VTKFile type="PImageData" version="0.1" '
                'byte_order="LittleEndian" header_type="UInt32">\n'
                '  <PImageData WholeExtent="0 %d 0 %d 0 %d" GhostLevel="0" Origin="0 0 0" '
                'Spacing="%g %g %g">\n    <PPointData Scalars="density">\n'
                '      <PDataArray type="UInt16" Name="density"/>\n    </PPointData>\n'
                % ((n - 1,) * 3 + SPACING))
        f.write("\n".join(entries) + "\n  </PImageData>\n</VTKFile>\n")
    print("wrote %s: %d^3 uint16 in %d pieces" % (path, n, pieces))


if __name__ == "__main__":
    main()
