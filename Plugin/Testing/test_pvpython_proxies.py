"""pvpython: the plugin loads through gradientopacity.paraview_helpers and
both proxies run: the promoted magnitude equals the VTK filter bitwise
(float32), and the auto proxy gives readable tables (control points with the
statistics as field data, and the histogram)."""
import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from pvtest_common import *  # noqa: F401,F403
from gradientopacity import paraview_helpers as gph
from gradientopacity import vtkGradientMagnitudeFilter, vtkAutoGradientOpacity

path = gph.load_plugin(ns=globals())
print("loaded", path)
w = Wavelet()
w.UpdatePipeline()
gm = GradientMagnitudepromoted(Input=w)
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
print("Gradient Magnitude (promoted): %d voxels, float32, identical to the VTK filter" % got.size)

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
print("PASS")
