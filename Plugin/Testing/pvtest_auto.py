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
    # Under N > 1 ranks with Distributed (the default) every renderer profile
    # takes the reduced route with both samplings; GRID with a scalar-opacity
    # weight runs whole (the CPU profiles, 1 and 3, always sample the grid).
    grid = sampling == 0 or renderer in (1, 3)
    want = N if (N > 1 and distributed and not (grid and opacity_points)) else 0
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


def anisotropic_vti(name, dims, spacing, dtype, origin=(-3.0, 1.5, 0.25)):
    """A volume of `dims` voxels, `spacing` and numpy `dtype` ("density"):
    two blobs and a slab (in world units) over Gaussian noise (fixed seed),
    written with inline data to GO_TEST_TMP/<name>.vti for a parallel
    XMLImageDataReader. Returns (path, vtkImageData, dims)."""
    import os
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
    z, y, x = np.meshgrid(*[np.arange(d) * s for d, s in zip(dims[::-1], spacing[::-1])],
                          indexing="ij")
    v = 800.0 + 1200.0 * (((x - 12) ** 2 + (y - 14) ** 2 + (z - 20) ** 2) < 64)
    v += 700.0 * (((x - 18) ** 2 + (y - 8) ** 2 + (z - 28) ** 2) < 25)
    v += 400.0 * (x > 20)
    v += np.random.default_rng(7).normal(0.0, 40.0, v.shape)
    if np.issubdtype(np.dtype(dtype), np.integer):
        info = np.iinfo(dtype)
        v = np.clip(v, info.min, info.max)
    arr = numpy_to_vtk(v.astype(dtype).ravel(), deep=1)
    arr.SetName("density")
    img = vtkImageData()
    img.SetDimensions(*dims)
    img.SetSpacing(*spacing)
    img.SetOrigin(*origin)
    img.GetPointData().SetScalars(arr)
    out_dir = os.environ.get("GO_TEST_TMP", "/tmp")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".vti")
    w = vtkXMLImageDataWriter()
    w.SetInputData(img)
    w.SetDataModeToBinary()  # inline: appended raw .vti fail with newer libexpat
    w.SetFileName(path)
    w.Write()
    return path, img, dims


def assert_profiles_differ(label, image, array, sampling, a, b):
    """The serial curves of renderer profiles a and b differ on `image` (so
    that a check of profile b could not pass by computing profile a)."""
    ra = serial(image, array, sampling, renderer=a)
    rb = serial(image, array, sampling, renderer=b)
    ta = (ra.GetLowThreshold(), ra.GetHighThreshold(), ra.GetMedianGradient())
    tb = (rb.GetLowThreshold(), rb.GetHighThreshold(), rb.GetMedianGradient())
    if ta == tb:
        fail("%s sampling=%d: renderers %d and %d give the same thresholds %s" %
             (label, sampling, a, b, ta))
    print("%s sampling=%d: renderer %d (low, high, median) %s, renderer %d %s: differ" %
          (label, sampling, a, ta, b, tb))
