"""pvpython: the plugin loads through gradientopacity.paraview_helpers and
both proxies run: the promoted magnitude equals the VTK filter bitwise
(float32), and the auto proxy gives readable tables (control points with the
statistics as field data, and the histogram). Names: the Python functions and
pipeline-browser names follow the labels, and the former Python name still
works. A script that does not set Scalars (the input not executed yet, so the
selector reads [None, '']) gets the active point scalars in both proxies."""
import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from pvtest_common import *  # noqa: F401,F403
from gradientopacity import paraview_helpers as gph
from gradientopacity import vtkGradientMagnitudeFilter, vtkAutoGradientOpacity

path = gph.load_plugin(ns=globals())
print("loaded", path)
w = Wavelet()
w.UpdatePipeline()
gm = PromotedGradientMagnitude(Input=w)
gm.Scalars = ["POINTS", "RTData"]
gm.Units = "Mapper (per average voxel)"
gm.UpdatePipeline()
out = servermanager.Fetch(gm)
got = vtk_to_numpy(out.GetPointData().GetArray("RTData_GradientMagnitude"))
ref_img = wavelet_image([-10, 10, -10, 10, -10, 10])
f = vtkGradientMagnitudeFilter()
f.SetInputData(ref_img)
f.SetUnitsToMapper()
f.Update()
ref = vtk_to_numpy(f.GetOutput().GetPointData().GetScalars())
if got.dtype != np.float32 or not np.array_equal(bits(got), bits(ref)):
    fail("gradient proxy differs from vtkGradientMagnitudeFilter")
print("Promoted Gradient Magnitude: %d voxels, float32, identical to the VTK filter" % got.size)

auto = AutoGradientOpacity(Input=w)
auto.Scalars = ["POINTS", "RTData"]
auto.UpdatePipeline()
pts, stats = gph.control_points(auto)
hist = gph.fetch_table(auto, 1)
a = vtkAutoGradientOpacity()
a.SetInputData(ref_img)
a.Update()
if abs(stats["LowThreshold"] - a.GetLowThreshold()) != 0 or len(pts) != a.GetGradientOpacityFunction().GetSize():
    fail("auto proxy differs from vtkAutoGradientOpacity: %s vs %s" % (stats["LowThreshold"], a.GetLowThreshold()))
if hist.GetNumberOfRows() != 2048 or hist.GetColumnByName("Count") is None:
    fail("histogram table")
for key in ("NoiseFloor", "LowThreshold", "HighThreshold", "EdgeStrength", "GradientScale", "ScalarRange"):
    if key not in stats:
        fail("statistic %s missing" % key)
print("Auto Gradient Opacity: %d control points, low=%.6g high=%.6g gmax=%.6g, histogram %d bins" %
      (len(pts), stats["LowThreshold"], stats["HighThreshold"], stats["GradientScale"], hist.GetNumberOfRows()))

# Names: pipeline browser (registration names) and the former Python name.
names = sorted(k[0] for k in GetSources().keys())
for want in ("PromotedGradientMagnitude1", "AutoGradientOpacity1"):
    if want not in names:
        fail("pipeline browser name %s not in %s" % (want, names))
old = GradientMagnitudepromoted(Input=w)  # noqa: F405  (published by load_plugin)
if old.SMProxy.GetXMLName() != "GradientMagnitudePromoted":
    fail("the former Python name creates %s" % old.SMProxy.GetXMLName())
print("names:", ", ".join(n for n in names if not n.startswith("Wavelet")))

# Scalars not set, input not executed yet: the active point scalars.
# (paraview.simple takes the selector's default from the active source: make
# the unexecuted source active, as in a script that builds a pipeline first.)
fresh = Wavelet(WholeExtent=[-10, 10, -10, 10, -10, 10])
SetActiveSource(fresh)
gm2 = PromotedGradientMagnitude(Input=fresh)
if list(gm2.Scalars) != [None, ""]:
    fail("Scalars on an unexecuted input read %s, not [None, '']" % list(gm2.Scalars))
gm2.Units = "Mapper (per average voxel)"
gm2.UpdatePipeline()
out2 = servermanager.Fetch(gm2)
arr2 = out2.GetPointData().GetArray("RTData_GradientMagnitude")
if arr2 is None or not np.array_equal(bits(vtk_to_numpy(arr2)), bits(ref)):
    fail("Promoted Gradient Magnitude without Scalars: no or different output")
fresh2 = Wavelet(WholeExtent=[-10, 10, -10, 10, -10, 10])
SetActiveSource(fresh2)
auto2 = AutoGradientOpacity(Input=fresh2)
if list(auto2.Scalars) != [None, ""]:
    fail("Scalars on an unexecuted input read %s, not [None, '']" % list(auto2.Scalars))
auto2.UpdatePipeline()
pts2, stats2 = gph.control_points(auto2)
if stats2.get("LowThreshold") != stats["LowThreshold"] or len(pts2) != len(pts):
    fail("Auto Gradient Opacity without Scalars: %s vs %s" % (stats2.get("LowThreshold"), stats["LowThreshold"]))
print("Scalars unset: both proxies use the active point scalars (%d voxels, low=%.6g)" %
      (arr2.GetNumberOfTuples(), stats2["LowThreshold"]))
print("PASS")
