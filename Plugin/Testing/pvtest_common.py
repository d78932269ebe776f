"""Shared helpers of the ParaView plugin tests (run with pvpython / pvbatch)."""
import os
import sys

from paraview import servermanager
from paraview.simple import *  # noqa: F401,F403

PLUGIN = os.environ["GRADIENTOPACITY_PLUGIN"]
DATA_DIR = os.environ.get("GO_SHARED_DATA_DIR", "")
# The test crop of embryo (128 x 128 x 64 voxels around the centre).
EMBRYO_TEST_VOI = (64, 191, 64, 191, 96, 159)


def load_plugin(ns):
    LoadPlugin(PLUGIN, remote=False, ns=ns)


def controller():
    from vtkmodules.vtkParallelCore import vtkMultiProcessController
    return vtkMultiProcessController.GetGlobalController()


def nranks():
    c = controller()
    return c.GetNumberOfProcesses() if c else 1


def embryo_path():
    p = os.path.join(DATA_DIR, "embryo.slc") if DATA_DIR else ""
    return p if p and os.path.exists(p) else None


def embryo_vti(voi=EMBRYO_TEST_VOI):
    """embryo.slc converted once to a .vti (ParaView 5.11 has no SLC reader;
    its XML image reader reads the requested piece only)."""
    out_dir = os.environ.get("GO_TEST_TMP", "/tmp")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "embryo%s.vti" % ("" if voi is None else "_crop"))
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(embryo_path()):
        from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
        wr = vtkXMLImageDataWriter()
        wr.SetInputData(embryo_image(voi))
        wr.SetDataModeToBinary()  # inline: appended raw .vti fail with newer libexpat
        wr.SetFileName(out + ".tmp.vti")
        wr.Write()
        os.replace(out + ".tmp.vti", out)
    return out


def embryo_proxy(voi=EMBRYO_TEST_VOI):
    """(reader proxy, serial vtkImageData) of embryo: a distributed
    XMLImageDataReader of the .vti copy and the same file read serially; None
    when embryo.slc is absent."""
    p = embryo_path()
    if not p:
        return None
    path = embryo_vti(voi)
    r = XMLImageDataReader(FileName=[path])
    r.UpdatePipeline()
    return r, read_vti(path)


def embryo_image(voi=None):
    """embryo.slc read with VTK's vtkSLCReader, optionally cropped to `voi`.
    vtkSLCReader leaves some voxels uninitialised (the last voxel of some
    slices differs from read to read in VTK 9.2): read it once, store a .vti
    (embryo_vti) and use that file for both the serial reference and the
    distributed run."""
    from vtkmodules.vtkIOImage import vtkSLCReader
    r = vtkSLCReader()
    r.SetFileName(embryo_path())
    r.Update()
    if voi is None:
        return r.GetOutput()
    from vtkmodules.vtkImagingCore import vtkExtractVOI
    e = vtkExtractVOI()
    e.SetInputConnection(r.GetOutputPort())
    e.SetVOI(*voi)
    e.Update()
    return e.GetOutput()


def read_vti(path):
    from vtkmodules.vtkIOXML import vtkXMLImageDataReader
    r = vtkXMLImageDataReader()
    r.SetFileName(path)
    r.Update()
    return r.GetOutput()


def wavelet_image(extent):
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
    s = vtkRTAnalyticSource()
    s.SetWholeExtent(*extent)
    s.Update()
    return s.GetOutput()


def gathered_to_grid(ugrid, array_name, image):
    """Scatter the values of a gathered (vtkAppendFilter) data set back onto
    the grid of `image` by point coordinates. Returns (values, covered,
    conflicts): conflicts counts points that appear twice (piece borders)
    with different bits."""
    import numpy as np
    from vtkmodules.util.numpy_support import vtk_to_numpy
    pts = vtk_to_numpy(ugrid.GetPoints().GetData()).astype(np.float64)
    vals = vtk_to_numpy(ugrid.GetPointData().GetArray(array_name))
    origin = np.array(image.GetOrigin())
    spacing = np.array(image.GetSpacing())
    ext = image.GetExtent()
    dims = [ext[1] - ext[0] + 1, ext[3] - ext[2] + 1, ext[5] - ext[4] + 1]
    ijk = np.rint((pts - origin) / spacing).astype(np.int64) - np.array([ext[0], ext[2], ext[4]])
    flat = ijk[:, 0] + dims[0] * (ijk[:, 1] + dims[1] * ijk[:, 2])
    out = np.zeros(dims[0] * dims[1] * dims[2], dtype=vals.dtype)
    covered = np.zeros(out.shape, dtype=bool)
    # Duplicates must agree bitwise.
    out[flat] = vals
    conflicts = int(np.count_nonzero(out[flat].view(np.uint8 if vals.dtype.itemsize == 1 else
                                                   {4: np.uint32, 8: np.uint64}[vals.dtype.itemsize])
                                     != vals.view({4: np.uint32, 8: np.uint64}[vals.dtype.itemsize])))
    covered[flat] = True
    return out, covered, conflicts


def bits(a):
    import numpy as np
    return a.view({4: np.uint32, 8: np.uint64}[a.dtype.itemsize])


def fail(msg):
    print("FAIL:", msg)
    sys.stdout.flush()
    sys.exit(1)


def gather(proxy, port=0):
    """All ranks' pieces of an image proxy on the client, appended into a
    vtkUnstructuredGrid (servermanager.Fetch picks no append helper for
    vtkImageData in 5.11 and returns rank 0's piece only)."""
    from paraview import servermanager as sm
    red = sm.filters.ReductionFilter(Input=sm.OutputPort(proxy, port))
    red.PostGatherHelperName = "vtkAppendFilter"
    red.UpdatePipeline()
    info = red.GetDataInformation(0)
    mover = sm.filters.ClientServerMoveData(Input=red)
    mover.OutputDataType = info.GetDataSetType()
    mover.WholeExtent = info.GetExtent()[:]
    mover.UpdatePipeline()
    op = mover.GetClientSideObject().GetOutputDataObject(0)
    out = op.NewInstance()
    out.ShallowCopy(op)
    Delete(mover)
    Delete(red)
    return out
