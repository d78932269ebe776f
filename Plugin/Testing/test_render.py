"""pvbatch offscreen: volume render of a wavelet with the automatic gradient
opacity applied by gradientopacity.paraview_helpers (separate opacity array =
our magnitude in mapper units); non-blank, different from the flat-opacity
render, and compared with Testing/Data/Baseline/ParaViewAutoGradientOpacity.png.
Arguments: baseline png, output directory."""
import os
import sys
import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkIOImage import vtkPNGReader
from vtkmodules.vtkImagingCore import vtkImageDifference  # noqa: F401
from pvtest_common import *  # noqa: F401,F403
from gradientopacity import paraview_helpers as gph

baseline, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
gph.load_plugin(ns=globals())
view = CreateView("RenderView")
view.ViewSize = [300, 300]
view.OrientationAxesVisibility = 0
try:
    view.UseColorPaletteForBackground = 0
except AttributeError:
    pass
view.Background = [0.0, 0.0, 0.0]
w = Wavelet()
w.WholeExtent = [-24, 24, -24, 24, -24, 24]
res = gph.apply_auto_gradient_opacity(w, view, scalars="RTData", colormap_preset="Cool to Warm")
view.CameraPosition = [90, 70, 110]
view.CameraFocalPoint = [0, 0, 0]
view.CameraViewUp = [0, 0, 1]
view.ResetCamera()
Render(view)
auto_png = os.path.join(outdir, "ParaViewAutoGradientOpacity.png")
SaveScreenshot(auto_png, view, ImageResolution=[300, 300])

# The same view with a flat opacity of 1 on the gradient array.
pwf = res["opacity"]
saved = list(pwf.Points)
pwf.Points = [saved[0], 1.0, 0.5, 0.0, saved[-4], 1.0, 0.5, 0.0]
Render(view)
flat_png = os.path.join(outdir, "ParaViewFlatOpacity.png")
SaveScreenshot(flat_png, view, ImageResolution=[300, 300])


def load(p):
    r = vtkPNGReader()
    r.SetFileName(p)
    r.Update()
    img = r.GetOutput()
    return img, vtk_to_numpy(img.GetPointData().GetScalars()).astype(np.float64)


img, a = load(auto_png)
_, b = load(flat_png)
lit = np.count_nonzero(a[:, :3].sum(axis=1) > 30) / a.shape[0]
mean_auto, mean_flat = a[:, :3].mean(), b[:, :3].mean()
print("auto render: %.1f %% of pixels lit, mean %.2f; flat-opacity render mean %.2f; %d control points, low=%.4g high=%.4g" %
      (100 * lit, mean_auto, mean_flat, len(res["points"]), res["stats"]["LowThreshold"], res["stats"]["HighThreshold"]))
if lit < 0.05:
    fail("the auto render is blank")
if np.abs(a - b).mean() < 1.0:
    fail("the automatic opacity changes nothing against a flat opacity")
if not os.path.exists(baseline):
    if os.environ.get("GO_UPDATE_BASELINES"):
        import shutil
        shutil.copy(auto_png, baseline)
        print("baseline written:", baseline)
    else:
        fail("no baseline %s (run with GO_UPDATE_BASELINES=1)" % baseline)
bimg, base = load(baseline)
if base.shape != a.shape:
    fail("baseline size differs")
diff = vtkImageDifference()
diff.SetInputData(img)
diff.SetImageData(bimg)
diff.SetThreshold(16)
diff.Update()
err = diff.GetThresholdedError()
mad = np.abs(a - base).mean()
print("baseline: thresholded error %.3f, mean abs difference %.3f" % (err, mad))
if err > 15.0 or mad > 3.0:
    fail("render differs from the baseline (error %.3f, mean abs %.3f); see %s" % (err, mad, auto_png))
print("PASS")
