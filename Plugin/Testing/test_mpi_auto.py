"""pvbatch (serial or mpiexec -n N): the "Auto Gradient Opacity" proxy with
Sampling Grid: control points, statistics and histogram equal (bitwise)
those of a serial vtkAutoGradientOpacity on the whole image. Under N > 1
ranks the result must come from the reduced route (ReducedOverRanks == N)
for every renderer profile (VTK GPU, VTK CPU, Slicer GPU, Slicer CPU,
ParaView), except with a scalar-opacity weight (whole route), on the
wavelet, a float anisotropic volume (spacing 0.7 x 0.7 x 2.5) and
embryo.slc (skipped when absent)."""
from pvtest_common import *  # noqa: F401,F403
from pvtest_auto import anisotropic_vti, assert_profiles_differ, check, threshold_mask

EXTENT = [-20, 20, -16, 16, -12, 12]

w = Wavelet()
w.WholeExtent = EXTENT
img = wavelet_image(EXTENT)
check("wavelet", w, "RTData", img, 0)
check("wavelet", w, "RTData", img, 0, operator=2)
check("wavelet", w, "RTData", img, 0, gradient=True)
check("wavelet", w, "RTData", img, 0, opacity_points=[(60, 0), (200, 0.8), (280, 1)])
check("wavelet", w, "RTData", img, 0, renderer=4)   # ParaView: as VTK GPU
check("wavelet", w, "RTData", img, 1, renderer=4)
# The other profiles through the same reduced route: Slicer GPU (2: index
# units), VTK CPU and Slicer CPU (1, 3: 8-bit levels over the global gmax,
# one-sided differences at the whole extent's faces for the float wavelet).
check("wavelet", w, "RTData", img, 0, renderer=2)
check("wavelet", w, "RTData", img, 0, renderer=1)
check("wavelet", w, "RTData", img, 0, renderer=3)
check("wavelet", w, "RTData", img, 0, renderer=1, operator=1)
check("wavelet", w, "RTData", img, 0, renderer=3, operator=2)
check("wavelet", w, "RTData", img, 0, renderer=1, gradient=True)
# A 0/1 mask (weights on the owned voxels, mask-filtered MAD pairs).
calc = Calculator(Input=w)
calc.ResultArrayName = "mask"
calc.Function = "RTData > 150"
mimg = threshold_mask(img, "RTData", 150)
check("wavelet", calc, "RTData", mimg, 0, mask="mask")
check("wavelet", calc, "RTData", mimg, 0, mask="mask", renderer=1)
check("wavelet", calc, "RTData", mimg, 0, mask="mask", renderer=2)
Delete(calc)

# A float volume of 36 x 30 x 14 voxels, spacing (0.7, 0.7, 2.5): Slicer GPU
# (index units) differs from VTK GPU here; the CPU profiles take the
# one-sided edge rule (float data).
path, aimg, adims = anisotropic_vti("anisotropic_f32", (36, 30, 14), (0.7, 0.7, 2.5), "float32")
assert_profiles_differ("aniso", aimg, "density", 0, 0, 2)
ar = XMLImageDataReader(FileName=[path])
for r in (0, 1, 2, 3, 4):
    check("aniso", ar, "density", aimg, 0, renderer=r)
check("aniso", ar, "density", aimg, 0, renderer=2, operator=2)
check("aniso", ar, "density", aimg, 0, renderer=3, operator=1)
acalc = Calculator(Input=ar)
acalc.ResultArrayName = "mask"
acalc.Function = "density > 1000"
amimg = threshold_mask(aimg, "density", 1000)
for r in (1, 2, 3):
    check("aniso", acalc, "density", amimg, 0, mask="mask", renderer=r)
Delete(acalc)

# The whole routes after the reduced ones (their cached whole image would be
# handed to a later reduced run).
check("wavelet", w, "RTData", img, 0, distributed=0)
check("wavelet", w, "RTData", img, 0, renderer=2, distributed=0)
check("wavelet", w, "RTData", img, 0, renderer=3, opacity_points=[(60, 0), (200, 0.8), (280, 1)])
if embryo_path():
    r, eimg = embryo_proxy()
    arr = eimg.GetPointData().GetScalars().GetName()
    check("embryo", r, arr, eimg, 0)
    check("embryo", r, arr, eimg, 0, gradient=True)
    check("embryo", r, arr, eimg, 0, renderer=1)  # uint8: the edge-copy rule
    check("embryo", r, arr, eimg, 0, renderer=2)
else:
    print("embryo.slc absent: skipped")
print("PASS")
