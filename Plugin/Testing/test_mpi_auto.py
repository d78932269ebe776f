"""pvbatch (serial or mpiexec -n N): the "Auto Gradient Opacity" proxy's
control points, statistics and histogram equal (bitwise) those of a serial
vtkAutoGradientOpacity on the whole image. With Sampling Grid and N > 1 the
result must come from the reduced route (ReducedOverRanks == N)."""
import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkImageData
from pvtest_common import *  # noqa: F401,F403
from gradientopacity import vtkAutoGradientOpacity, vtkGradientMagnitudeFilter

load_plugin(globals())
N = nranks()
EXTENT = [-20, 20, -16, 16, -12, 12]


def serial(image, array, sampling, gradient_array=None, operator=0, mask=None, renderer=0):
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
    if gradient_array:
        a.SetGradientArrayName(gradient_array)
    if mask:
        a.SetMaskArrayName(mask)
    a.Update()
    return a


def check(label, src, array, image, sampling, gradient=False, operator=0, distributed=1,
          mask=None, renderer=0):
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
    if gname:
        auto.GradientArrayName = gname
    if mask:
        auto.MaskArrayName = mask
    auto.UpdatePipeline()
    pts = servermanager.Fetch(auto, 0, idx=0)
    hist = servermanager.Fetch(auto, 0, idx=1)
    ref = serial(image, array, sampling, gname, operator, mask, renderer)
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
    tag = "np=%d %-8s sampling=%d gradient_array=%d op=%d distributed=%d mask=%d renderer=%d" % (
        N, label, sampling, gradient, operator, distributed, bool(mask), renderer)
    if gx.shape != rx.shape or np.any(bits(gx) != bits(rx)) or np.any(bits(gy) != bits(ry)):
        fail("%s: control points differ:\n got %s %s\n ref %s %s" % (tag, gx, gy, rx, ry))
    reduced = int(pts.GetFieldData().GetArray("ReducedOverRanks").GetValue(0))
    # Grid sampling with Distributed (the default) under N > 1 ranks must take
    # the reduced route (each rank bins the voxels it owns, histograms summed);
    # sub-voxel sampling and Distributed 0 compute on the whole image per rank.
    # Renderer profiles other than VTK GPU (0) and ParaView (4) take the
    # whole-image route.
    want = N if (N > 1 and sampling == 0 and distributed and renderer in (0, 4)) else 0
    if reduced != want:
        fail("%s: ReducedOverRanks %d, expected %d" % (tag, reduced, want))
    st = ref.GetStatisticsTable()
    sfd, gfd = st.GetFieldData(), pts.GetFieldData()
    for i in range(sfd.GetNumberOfArrays()):
        name = sfd.GetArrayName(i)
        a, b = sfd.GetArray(name), gfd.GetArray(name)
        va = [a.GetComponent(0, c) for c in range(a.GetNumberOfComponents())]
        vb = [b.GetComponent(0, c) for c in range(b.GetNumberOfComponents())]
        if bits(np.array(va)).tolist() != bits(np.array(vb)).tolist():
            fail("%s: statistic %s: %s != serial %s" % (tag, name, vb, va))
    for col in ("Count", "SmoothedCount", "BinCenterMapper"):
        ra = vtk_to_numpy(st.GetColumnByName(col))
        ga = vtk_to_numpy(hist.GetColumnByName(col))
        if ra.shape != ga.shape or np.any(bits(ra) != bits(ga)):
            fail("%s: histogram column %s differs" % (tag, col))
    print("%s reduced=%d points=%d low=%.9g high=%.9g noise_sigma=%.9g: identical to serial" %
          (tag, reduced, len(gx), ref.GetLowThreshold(), ref.GetHighThreshold(), ref.GetNoiseSigma()))
    Delete(auto)
    if gradient:
        Delete(inp)


w = Wavelet()
w.WholeExtent = EXTENT
img = wavelet_image(EXTENT)
check("wavelet", w, "RTData", img, 0)
check("wavelet", w, "RTData", img, 0, distributed=0)
check("wavelet", w, "RTData", img, 0, operator=2)
check("wavelet", w, "RTData", img, 0, gradient=True)
check("wavelet", w, "RTData", img, 1)
check("wavelet", w, "RTData", img, 0, renderer=2)   # Slicer GPU: index units
check("wavelet", w, "RTData", img, 0, renderer=1)   # VTK CPU: 8-bit grid
check("wavelet", w, "RTData", img, 0, renderer=4)   # ParaView: reduced like VTK GPU
# A 0/1 mask (weights on the owned voxels, mask-filtered MAD pairs).
calc = Calculator(Input=w)
calc.ResultArrayName = "mask"
calc.Function = "RTData > 150"
mimg = vtkImageData()
mimg.DeepCopy(img)
rt = vtk_to_numpy(mimg.GetPointData().GetArray("RTData"))
marr = numpy_to_vtk((rt > 150).astype(np.float64), deep=1)
marr.SetName("mask")
mimg.GetPointData().AddArray(marr)
check("wavelet", calc, "RTData", mimg, 0, mask="mask")
Delete(calc)
if embryo_path():
    r, eimg = embryo_proxy()
    arr = eimg.GetPointData().GetScalars().GetName()
    check("embryo", r, arr, eimg, 0)
    check("embryo", r, arr, eimg, 0, gradient=True)
else:
    print("embryo.slc absent: skipped")
print("PASS")
