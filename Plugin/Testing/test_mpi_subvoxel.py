"""pvbatch (serial or mpiexec -n N): the "Auto Gradient Opacity" proxy with
its default Sampling Sub-voxel. Under N > 1 ranks each rank receives its
piece plus ghost layers (LargestPieceFraction about 1/N plus ghosts, checked)
and draws the samples of the serial sequence whose cells it owns; control
points, every statistic and the histogram must be bitwise those of a serial
vtkAutoGradientOpacity on the whole image: central differences (the shader's
reads), Sobel, Gaussian, a precomputed magnitude array, a 0/1 mask and a
scalar-opacity weight, on the wavelet (float), an anisotropic uint16 volume
and embryo.slc (uint8, skipped when absent); and every renderer profile
(Slicer GPU sub-voxel; the CPU profiles force GRID) through the same route."""
from pvtest_common import *  # noqa: F401,F403
from pvtest_auto import anisotropic_vti, assert_profiles_differ, check, threshold_mask

N = nranks()


def bound(dims, ghost):
    """Largest share a rank may receive: 1/N plus ghost layers on both
    sides of the thinnest axis. (A later run may be handed a cached piece
    with the more ghost layers an earlier run asked for: the first run on
    each source gets the tight bound.)"""
    return 1.0 / N + 2.0 * ghost / min(d for d in dims if d > 1)


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
# The renderer profiles go through the reduced route too: Slicer GPU (2:
# sampler spacing 1, index units), VTK CPU and Slicer CPU (1, 3: GRID forced
# whatever Sampling says, one-sided edges for the float wavelet, 8-bit levels).
for r in (1, 2, 3):
    check("wavelet", w, "RTData", img, 1, renderer=r, max_fraction=bound(WDIMS, 6))
check("wavelet", w, "RTData", img, 1, renderer=2, operator=1, max_fraction=bound(WDIMS, 6))
check("wavelet", w, "RTData", img, 1, renderer=2, opacity_points=[(60, 0), (200, 0.8), (280, 1)],
      max_fraction=bound(WDIMS, 6))
check("wavelet", calc, "RTData", mimg, 1, mask="mask", renderer=3, max_fraction=bound(WDIMS, 6))
check("wavelet", calc, "RTData", mimg, 1, mask="mask", renderer=2, operator=2,
      max_fraction=bound(WDIMS, 6))
Delete(calc)

# The whole route last: a later reduced run would be handed the cached whole
# image (correct, but not divided). A CPU profile with a scalar-opacity
# weight samples the grid with float weights: whole route.
check("wavelet", w, "RTData", img, 1, distributed=0)
check("wavelet", w, "RTData", img, 1, renderer=1, opacity_points=[(60, 0), (200, 0.8), (280, 1)])

# A uint16 volume of 38 x 31 x 23 voxels, spacing (0.7, 1.0, 1.9).
path, aimg, adims = anisotropic_vti("anisotropic_u16", (38, 31, 23), (0.7, 1.0, 1.9), "uint16")
ar = XMLImageDataReader(FileName=[path])
check("aniso", ar, "density", aimg, 1, max_fraction=bound(adims, 3))
check("aniso", ar, "density", aimg, 1, operator=2, max_fraction=bound(adims, 6))
check("aniso", ar, "density", aimg, 1, gradient=True, max_fraction=bound(adims, 6))
acalc = Calculator(Input=ar)
acalc.ResultArrayName = "mask"
acalc.Function = "density > 1000"
amimg = threshold_mask(aimg, "density", 1000)
check("aniso", acalc, "density", amimg, 1, mask="mask", max_fraction=bound(adims, 6))
# Renderer profiles on the anisotropic volume, where Slicer GPU (sampler
# spacing 1) differs from VTK GPU; uint16: the CPU profiles' edge-copy rule.
assert_profiles_differ("aniso", aimg, "density", 1, 0, 2)
for r in (1, 2, 3):
    check("aniso", ar, "density", aimg, 1, renderer=r, max_fraction=bound(adims, 6))
check("aniso", ar, "density", aimg, 1, renderer=2, operator=2, max_fraction=bound(adims, 6))
check("aniso", ar, "density", aimg, 1, renderer=2, gradient=True, max_fraction=bound(adims, 6))
check("aniso", ar, "density", aimg, 1, renderer=3, gradient=True, max_fraction=bound(adims, 6))
check("aniso", acalc, "density", amimg, 1, mask="mask", renderer=2, max_fraction=bound(adims, 6))
check("aniso", acalc, "density", amimg, 1, mask="mask", renderer=1, max_fraction=bound(adims, 6))
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
