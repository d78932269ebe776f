"""pvbatch (serial or mpiexec -n N): the gradient magnitude computed by the
"Promoted Gradient Magnitude" proxy in pieces and gathered from all ranks is
bitwise identical to a serial vtkGradientMagnitudeFilter on the whole image
(wavelet; embryo.slc when present)."""
import sys
import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from pvtest_common import *  # noqa: F401,F403
from gradientopacity import vtkGradientMagnitudeFilter

load_plugin(globals())
N = nranks()
EXTENT = [-20, 20, -16, 16, -12, 12]
CASES = [
    dict(Operator=0, EdgeMode=0, Units=0),
    dict(Operator=0, EdgeMode=1, Units=1),
    dict(Operator=1, EdgeMode=0, Units=0),
    dict(Operator=2, Sigma=1.5, Units=1),
    dict(Operator=0, ComputeGradientVector=1, OutputScalarType=11),
]


def check(label, src_proxy, array, ref_image, props):
    gm = PromotedGradientMagnitude(Input=src_proxy)
    gm.Scalars = ["POINTS", array]
    for k, v in props.items():
        gm.GetProperty(k).SetData(v)
    gm.UpdatePipeline()
    data = gather(gm)
    f = vtkGradientMagnitudeFilter()
    f.SetInputData(ref_image)
    f.SetInputArrayToProcess(0, 0, 0, 0, array)
    for k, v in props.items():
        getattr(f, "Set" + k)(v)
    f.Update()
    names = [array + "_GradientMagnitude"]
    if props.get("ComputeGradientVector"):
        names.append(array + "_Gradient")
    for name in names:
        ref = vtk_to_numpy(f.GetOutput().GetPointData().GetArray(name))
        if data.IsA("vtkImageData"):
            got = vtk_to_numpy(data.GetPointData().GetArray(name))
            covered, conflicts = np.ones(ref.shape[0], bool), 0
        else:
            ncomp = 1 if ref.ndim == 1 else ref.shape[1]
            if ncomp == 1:
                got, covered, conflicts = gathered_to_grid(data, name, ref_image)
            else:
                got_c = []
                covered = None
                conflicts = 0
                for c in range(ncomp):
                    from vtkmodules.vtkCommonCore import vtkFloatArray, vtkDoubleArray
                    a = data.GetPointData().GetArray(name)
                    comp = (vtkDoubleArray() if a.GetDataType() == 11 else vtkFloatArray())
                    comp.SetName("c")
                    comp.SetNumberOfTuples(a.GetNumberOfTuples())
                    comp.CopyComponent(0, a, c)
                    data.GetPointData().AddArray(comp)
                    g, cov, con = gathered_to_grid(data, "c", ref_image)
                    data.GetPointData().RemoveArray("c")
                    got_c.append(g)
                    covered = cov if covered is None else covered & cov
                    conflicts += con
                got = np.stack(got_c, axis=1)
        if got.dtype != ref.dtype:
            fail("%s %s: dtype %s != serial %s" % (label, name, got.dtype, ref.dtype))
        if not covered.all():
            fail("%s %s: %d voxels not covered by any rank" % (label, name, (~covered).sum()))
        if conflicts:
            fail("%s %s: %d piece-border duplicates disagree" % (label, name, conflicts))
        ndiff = int(np.count_nonzero(bits(np.ascontiguousarray(got)) != bits(np.ascontiguousarray(ref))))
        maxabs = float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64))))
        print("np=%d %-28s %-22s %-28s voxels=%d bitwise_diff=%d max_abs=%g" %
              (N, label, name, props, ref.shape[0], ndiff, maxabs))
        if ndiff:
            fail("%s %s: %d voxels differ from the serial result" % (label, name, ndiff))
    Delete(gm)


w = Wavelet()
w.WholeExtent = EXTENT
ref = wavelet_image(EXTENT)
for props in CASES:
    check("wavelet", w, "RTData", ref, props)

if embryo_path():
    r, eref = embryo_proxy()
    arr = eref.GetPointData().GetScalars().GetName()
    for props in CASES[:2] + CASES[3:4]:
        check("embryo", r, arr, eref, props)
else:
    print("embryo.slc absent: skipped")
print("PASS")
