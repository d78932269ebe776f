"""pvbatch (serial or mpiexec -n N): the "Auto Gradient Opacity" proxy with
Sampling Grid: control points, statistics and histogram equal (bitwise)
those of a serial vtkAutoGradientOpacity on the whole image. Under N > 1
ranks the result must come from the reduced route (ReducedOverRanks == N),
except with a scalar-opacity weight or a renderer profile other than VTK GPU
and ParaView (whole route)."""
from pvtest_common import *  # noqa: F401,F403
from pvtest_auto import check, threshold_mask

EXTENT = [-20, 20, -16, 16, -12, 12]

w = Wavelet()
w.WholeExtent = EXTENT
img = wavelet_image(EXTENT)
check("wavelet", w, "RTData", img, 0)
check("wavelet", w, "RTData", img, 0, operator=2)
check("wavelet", w, "RTData", img, 0, gradient=True)
check("wavelet", w, "RTData", img, 0, opacity_points=[(60, 0), (200, 0.8), (280, 1)])
check("wavelet", w, "RTData", img, 0, renderer=4)   # ParaView: reduced like VTK GPU
check("wavelet", w, "RTData", img, 1, renderer=4)
# The whole routes after the reduced ones (their cached whole image would be
# handed to a later reduced run).
check("wavelet", w, "RTData", img, 0, renderer=2)   # Slicer GPU: index units, whole route
check("wavelet", w, "RTData", img, 0, renderer=1)   # VTK CPU: 8-bit grid, whole route
check("wavelet", w, "RTData", img, 0, distributed=0)
# A 0/1 mask (weights on the owned voxels, mask-filtered MAD pairs).
calc = Calculator(Input=w)
calc.ResultArrayName = "mask"
calc.Function = "RTData > 150"
check("wavelet", calc, "RTData", threshold_mask(img, "RTData", 150), 0, mask="mask")
Delete(calc)
if embryo_path():
    r, eimg = embryo_proxy()
    arr = eimg.GetPointData().GetScalars().GetName()
    check("embryo", r, arr, eimg, 0)
    check("embryo", r, arr, eimg, 0, gradient=True)
else:
    print("embryo.slc absent: skipped")
print("PASS")
