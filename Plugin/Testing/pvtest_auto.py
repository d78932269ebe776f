"""Shared check of the MPI auto-gradient-opacity tests: the "Auto Gradient
Opacity" proxy (vtkPAutoGradientOpacity, run by pvbatch on 1..N ranks)
against a serial vtkAutoGradientOpacity on the whole image in the same run:
control points, every statistic and the histogram columns bitwise equal, the
route that ran, and the largest share of the volume a rank received."""
import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
from pvtest_common import *  # noqa: F401,F403
from gradientopacity import vtkAutoGradientOpacity, vtkGradientMagnitudeFilter

# The plugin's proxies (AutoGradientOpacity, PromotedGradientMagnitude) in
# this module's namespace (the test scripts need not load it themselves).
load_plugin(globals())


def serial(image, array, sampling, gradient_array=None, operator=0, mask=None,
           opacity_points=None, sigma=None, renderer=0):
    if gradient_array:
        f = vtkGradientMagnitudeFilter()
        f.SetInputData(image)
        f.SetInputArrayToProcess(0, 0, 0, 0, array)
        f.SetUnitsToMapper()
        f.SetOutputScalarTypeToFloat()
        f.Update()
        image = f.GetOutput()
    a = vtkAutoGradientOpacity()
    a.SetInputData(image)
    a.SetInputArrayToProcess(0, 0, 0, 0, array)
    a.SetSampling(sampling)
    a.SetOperator(operator)
    a.SetRenderer(renderer)
    if sigma is not None:
        a.SetSigma(sigma)
    if gradient_array:
        a.SetGradientArrayName(gradient_array)
    if mask:
        a.SetMaskArrayName(mask)
    if opacity_points:
        pf = vtkPiecewiseFunction()
        for x, y in opacity_points:
            pf.AddPoint(x, y)
        a.SetScalarOpacity(pf)
    a.Update()
    return a


def check(label, src, array, image, sampling, gradient=False, operator=0, distributed=1,
          mask=None, opacity_points=None, sigma=None, max_fraction=None, renderer=0):
    """Run the proxy on `src` and compare with the serial class on `image`.
    max_fraction: when the reduced route runs, the largest share of the
    volume a rank may have received. Returns that share."""
    N = nranks()
    inp = src
    gname = None
    if gradient:
        inp = PromotedGradientMagnitude(Input=src)
        inp.Scalars = ["POINTS", array]
        inp.Units = 1
        inp.OutputScalarType = 10
        gname = array + "_GradientMagnitude"
    auto = AutoGradientOpacity(Input=inp)
    auto.Scalars = ["POINTS", array]
    auto.Sampling = sampling
    auto.Operator = operator
    auto.Distributed = distributed
    auto.Renderer = renderer
    if sigma is not None:
        auto.Sigma = sigma
    if gname:
        auto.GradientArrayName = gname
    if mask:
        auto.MaskArrayName = mask
    pwf = None
    if opacity_points:
        pts = []
        for x, y in opacity_points:
            pts += [x, y, 0.5, 0.0]
        pwf = CreatePiecewiseFunction(Points=pts)
        auto.ScalarOpacity = pwf
    auto.UpdatePipeline()
    pts = servermanager.Fetch(auto, 0, idx=0)
    hist = servermanager.Fetch(auto, 0, idx=1)
    ref = serial(image, array, sampling, gname, operator, mask, opacity_points, sigma, renderer)
    fn = ref.GetGradientOpacityFunction()
    node = [0.0] * 4
    rx, ry = [], []
    for i in range(fn.GetSize()):
        fn.GetNodeValue(i, node)
        rx.append(node[0])
        ry.append(node[1])
    rx, ry = np.array(rx), np.array(ry)
    gx = vtk_to_numpy(pts.GetColumnByName("GradientMapper"))
    gy = vtk_to_numpy(pts.GetColumnByName("Opacity"))
    tag = ("np=%d %-8s sampling=%d gradient_array=%d op=%d distributed=%d mask=%d opacity=%d "
           "renderer=%d" % (N, label, sampling, gradient, operator, distributed, bool(mask),
                            bool(opacity_points), renderer))
    if gx.shape != rx.shape or np.any(bits(gx) != bits(rx)) or np.any(bits(gy) != bits(ry)):
        fail("%s: control points differ:\n got %s %s\n ref %s %s" % (tag, gx, gy, rx, ry))
    fd = pts.GetFieldData()
    reduced = int(fd.GetArray("ReducedOverRanks").GetValue(0))
    # Under N > 1 ranks with Distributed (the default) both samplings take the
    # reduced route; GRID with a scalar-opacity weight runs whole, and so do
    # the renderer profiles other than VTK GPU (0) and ParaView (4).
    want = N if (N > 1 and distributed and renderer in (0, 4)
                 and not (sampling == 0 and opacity_points)) else 0
    if reduced != want:
        fail("%s: ReducedOverRanks %d, expected %d" % (tag, reduced, want))
    route = fd.GetAbstractArray("Route").GetValue(0)
    if route != ("reduced" if want else "whole"):
        fail("%s: Route %s" % (tag, route))
    frac = fd.GetArray("LargestPieceFraction").GetValue(0)
    if want and max_fraction is not None and not frac <= max_fraction:
        fail("%s: a rank received %.4f of the volume (at most %.4f expected)" %
             (tag, frac, max_fraction))
    if not want and frac != 1.0:
        fail("%s: whole route with LargestPieceFraction %.4f" % (tag, frac))
    st = ref.GetStatisticsTable()
    sfd = st.GetFieldData()
    for i in range(sfd.GetNumberOfArrays()):
        name = sfd.GetArrayName(i)
        a, b = sfd.GetArray(name), fd.GetArray(name)
        va = [a.GetComponent(0, c) for c in range(a.GetNumberOfComponents())]
        vb = [b.GetComponent(0, c) for c in range(b.GetNumberOfComponents())]
        if bits(np.array(va)).tolist() != bits(np.array(vb)).tolist():
            fail("%s: statistic %s: %s != serial %s" % (tag, name, vb, va))
    for col in ("Count", "SmoothedCount", "BinCenterMapper"):
        ra = vtk_to_numpy(st.GetColumnByName(col))
        ga = vtk_to_numpy(hist.GetColumnByName(col))
        if ra.shape != ga.shape or np.any(bits(ra) != bits(ga)):
            fail("%s: histogram column %s differs" % (tag, col))
    print("%s route=%s largest_piece=%.3f points=%d low=%.9g high=%.9g noise_sigma=%.9g: "
          "identical to serial" % (tag, route, frac, len(gx), ref.GetLowThreshold(),
                                   ref.GetHighThreshold(), ref.GetNoiseSigma()))
    Delete(auto)
    if pwf is not None:
        Delete(pwf)
    if gradient:
        Delete(inp)
    return frac


def threshold_mask(image, array, threshold):
    """A copy of `image` with the point array "mask" = (array > threshold) as
    doubles, as the Calculator "array > threshold" computes it."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData
    out = vtkImageData()
    out.DeepCopy(image)
    v = vtk_to_numpy(out.GetPointData().GetArray(array))
    m = numpy_to_vtk((v > threshold).astype(np.float64), deep=1)
    m.SetName("mask")
    out.GetPointData().AddArray(m)
    return out
