"""ParaView's built-in "Gradient Magnitude" (vtkImageGradientMagnitude) and
the plugin's "Promoted Gradient Magnitude" on the Wavelet source, each compared
voxel by voxel with a serial VTK run of the same class in the same process.
Prints the comparison; asserts nothing (docs/paraview.md quotes its output).

    export PYTHONPATH=build/lib/python3.11/site-packages
    PLUGIN=build/lib/paraview-5.11/plugins/GradientOpacityPlugin/GradientOpacityPlugin.so
    xvfb-run -a pvbatch --force-offscreen-rendering \\
        Examples/ParaView/builtin_gradient_magnitude_mpi.py $PLUGIN
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 xvfb-run -a \\
        mpiexec -n 2 pvbatch --force-offscreen-rendering \\
        Examples/ParaView/builtin_gradient_magnitude_mpi.py $PLUGIN

(the two OpenMPI variables only when running as root)
"""
import sys

import numpy as np
from paraview import servermanager as sm
from paraview.simple import *  # noqa: F401,F403
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkImagingGeneral import vtkImageGradientMagnitude
from vtkmodules.vtkParallelCore import vtkMultiProcessController

from gradientopacity import paraview_helpers as gph
from gradientopacity import vtkGradientMagnitudeFilter


def gather(proxy):
    """Every rank's piece on the client, appended (servermanager.Fetch of an
    image returns rank 0's piece only in 5.11)."""
    red = sm.filters.ReductionFilter(Input=proxy)
    red.PostGatherHelperName = "vtkAppendFilter"
    red.UpdatePipeline()
    mover = sm.filters.ClientServerMoveData(Input=red)
    mover.OutputDataType = red.GetDataInformation(0).GetDataSetType()
    mover.UpdatePipeline()
    out = mover.GetClientSideObject().GetOutputDataObject(0)
    copy = out.NewInstance()
    copy.ShallowCopy(out)
    Delete(mover)
    Delete(red)
    return copy


def on_grid(data, name, image):
    """The gathered values placed back on the grid of `image` by coordinates;
    NaN where no piece delivered a point."""
    pts = vtk_to_numpy(data.GetPoints().GetData()).astype(np.float64)
    vals = vtk_to_numpy(data.GetPointData().GetArray(name)).astype(np.float64)
    ext = image.GetExtent()
    dims = [ext[1] - ext[0] + 1, ext[3] - ext[2] + 1, ext[5] - ext[4] + 1]
    ijk = np.rint((pts - image.GetOrigin()) / image.GetSpacing()).astype(np.int64)
    ijk -= [ext[0], ext[2], ext[4]]
    grid = np.full(dims[0] * dims[1] * dims[2], np.nan)
    grid[ijk[:, 0] + dims[0] * (ijk[:, 1] + dims[1] * ijk[:, 2])] = vals
    return grid


def report(label, got, ref):
    bad = ~(got == ref)
    print("%-28s %d voxels: %d differ from the serial run (%d NaN), max |difference| %.6g"
          % (label, ref.size, np.count_nonzero(bad), np.count_nonzero(np.isnan(got)),
             np.nanmax(np.abs(got - ref)) if np.any(~np.isnan(got)) else float("nan")))


gph.load_plugin(sys.argv[1] if len(sys.argv) > 1 else None, ns=globals())
controller = vtkMultiProcessController.GetGlobalController()
print("ranks:", controller.GetNumberOfProcesses() if controller else 1)

source = vtkRTAnalyticSource()  # the Wavelet source's defaults
source.Update()
image = source.GetOutput()

wavelet = Wavelet()
builtin = GradientMagnitude(Input=wavelet)  # ParaView's default: Dimensionality Three
builtin.UpdatePipeline()
vtk_serial = vtkImageGradientMagnitude()
vtk_serial.SetInputData(image)
vtk_serial.SetDimensionality(3)
vtk_serial.Update()
report("Gradient Magnitude", on_grid(gather(builtin), "RTData", image),
       vtk_to_numpy(vtk_serial.GetOutput().GetPointData().GetScalars()).astype(np.float64))

SetActiveSource(wavelet)
ours = PromotedGradientMagnitude(Input=wavelet)
ours.UpdatePipeline()
our_serial = vtkGradientMagnitudeFilter()
our_serial.SetInputData(image)
our_serial.Update()
report("Promoted Gradient Magnitude", on_grid(gather(ours), "RTData_GradientMagnitude", image),
       vtk_to_numpy(our_serial.GetOutput().GetPointData().GetScalars()).astype(np.float64))
