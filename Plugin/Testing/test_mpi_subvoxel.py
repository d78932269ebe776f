"""pvbatch (serial or mpiexec -n N): the "Auto Gradient Opacity" proxy with
its default Sampling Sub-voxel. Under N > 1 ranks each rank receives its
piece plus ghost layers (LargestPieceFraction about 1/N plus ghosts, checked)
and draws the samples of the serial sequence whose cells it owns; control
points, every statistic and the histogram must be bitwise those of a serial
vtkAutoGradientOpacity on the whole image: central differences (the shader's
reads), Sobel, Gaussian, a precomputed magnitude array, a 0/1 mask and a
scalar-opacity weight, on the wavelet (float), an anisotropic uint16 volume
and embryo.slc (uint8, skipped when absent)."""
import os
import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
from pvtest_common import *  # noqa: F401,F403
from pvtest_auto import check, threshold_mask

N = nranks()


def bound(dims, ghost):
    """Largest share a rank may receive: 1/N plus ghost layers on both
    sides of the thinnest axis. (A later run may be handed a cached piece
    with the more ghost layers an earlier run asked for: the first run on
    each source gets the tight bound.)"""
    return 1.0 / N + 2.0 * ghost / min(d for d in dims if d > 1)


def anisotropic_vti():
    """A uint16 volume of 38 x 31 x 23 voxels, spacing (0.7, 1.0, 1.9): two
    blobs and a slab over Gaussian noise (fixed seed), written with inline
    data and read back by a parallel XMLImageDataReader."""
    dims = (38, 31, 23)
    spacing = (0.7, 1.0, 1.9)
    z, y, x = np.meshgrid(*[np.arange(d) * s for d, s in zip(dims[::-1], spacing[::-1])],
                          indexing="ij")
    v = 800.0 + 1200.0 * (((x - 12) ** 2 + (y - 14) ** 2 + (z - 20) ** 2) < 64)
    v += 700.0 * (((x - 18) ** 2 + (y - 8) ** 2 + (z - 28) ** 2) < 25)
    v += 400.0 * (x > 20)
    v += np.random.default_rng(7).normal(0.0, 40.0, v.shape)
    arr = numpy_to_vtk(np.clip(v, 0, 65535).astype(np.uint16).ravel(), deep=1)
    arr.SetName("density")
    img = vtkImageData()
    img.SetDimensions(*dims)
    img.SetSpacing(*spacing)
    img.SetOrigin(-3.0, 1.5, 0.25)
    img.GetPointData().SetScalars(arr)
    out_dir = os.environ.get("GO_TEST_TMP", "/tmp")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "anisotropic_u16.vti")
    w = vtkXMLImageDataWriter()
    w.SetInputData(img)
    w.SetDataModeToBinary()
    w.SetFileName(path)
    w.Write()
    return path, img, dims


EXTENT = [-20, 20, -16, 16, -12, 12]
WDIMS = (41, 33, 25)
w = Wavelet()
w.WholeExtent = EXTENT
img = wavelet_image(EXTENT)
frac = check("wavelet", w, "RTData", img, 1, max_fraction=bound(WDIMS, 3))
check("wavelet", w, "RTData", img, 1, operator=1, max_fraction=bound(WDIMS, 6))
check("wavelet", w, "RTData", img, 1, operator=2, sigma=1.5, max_fraction=bound(WDIMS, 6))
check("wavelet", w, "RTData", img, 1, gradient=True, max_fraction=bound(WDIMS, 6))
check("wavelet", w, "RTData", img, 1, opacity_points=[(60, 0), (200, 0.8), (280, 1)],
      max_fraction=bound(WDIMS, 6))
calc = Calculator(Input=w)
calc.ResultArrayName = "mask"
calc.Function = "RTData > 150"
mimg = threshold_mask(img, "RTData", 150)
check("wavelet", calc, "RTData", mimg, 1, mask="mask", max_fraction=bound(WDIMS, 6))
check("wavelet", calc, "RTData", mimg, 1, mask="mask", operator=2,
      opacity_points=[(100, 0.2), (250, 1)], max_fraction=bound(WDIMS, 6))
Delete(calc)

# The whole route last: a later reduced run would be handed the cached whole
# image (correct, but not divided).
check("wavelet", w, "RTData", img, 1, distributed=0)

path, aimg, adims = anisotropic_vti()
ar = XMLImageDataReader(FileName=[path])
check("aniso", ar, "density", aimg, 1, max_fraction=bound(adims, 3))
check("aniso", ar, "density", aimg, 1, operator=2, max_fraction=bound(adims, 6))
check("aniso", ar, "density", aimg, 1, gradient=True, max_fraction=bound(adims, 6))
acalc = Calculator(Input=ar)
acalc.ResultArrayName = "mask"
acalc.Function = "density > 1000"
check("aniso", acalc, "density", threshold_mask(aimg, "density", 1000), 1, mask="mask",
      max_fraction=bound(adims, 6))
Delete(acalc)

if embryo_path():
    r, eimg = embryo_proxy()
    arr = eimg.GetPointData().GetScalars().GetName()
    edims = eimg.GetDimensions()
    check("embryo", r, arr, eimg, 1, max_fraction=bound(edims, 3))
    check("embryo", r, arr, eimg, 1, gradient=True, max_fraction=bound(edims, 6))
    check("embryo", r, arr, eimg, 1, operator=1, opacity_points=[(40, 0), (120, 1)],
          max_fraction=bound(edims, 6))
else:
    print("embryo.slc absent: skipped")
if N == 2 and not frac < 0.75:
    fail("two ranks: the largest piece is %.3f of the volume" % frac)
print("PASS")
