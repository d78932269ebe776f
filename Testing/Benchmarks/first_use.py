"""First use of vtkAutoGradientOpacity on a volume just read: a new scalars
array (nothing cached on it, e.g. its range), a new filter, default settings.
Median and min of 5 runs, and the thresholds. Run it with PYTHONPATH set to
two builds' site-packages to compare them in one sitting; not a test.

    PYTHONPATH=build/lib/python3.11/site-packages /usr/bin/python3 \
        Testing/Benchmarks/first_use.py
"""
import os
import statistics
import time

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOImage import vtkSLCReader

import gradientopacity as go

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("GO_SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))


def new_image(voxels, dims):
    """A new image and a new array over the same memory (no copy)."""
    image = vtkImageData()
    image.SetDimensions(*dims)
    array = numpy_support.numpy_to_vtk(voxels, deep=0)
    array.SetName("scalars")
    image.GetPointData().SetScalars(array)
    return image


def volumes():
    embryo = os.path.join(DATA, "embryo.slc")
    if os.path.exists(embryo):
        reader = vtkSLCReader()
        reader.SetFileName(embryo)
        reader.Update()
        scalars = reader.GetOutput().GetPointData().GetScalars()
        yield "embryo.slc 256^3 uint8", numpy_support.vtk_to_numpy(scalars).copy(), \
            reader.GetOutput().GetDimensions()
    else:
        print("embryo.slc not found in %s: skipped" % DATA)
    rng = np.random.default_rng(0)
    yield "generated 512x512x256 uint16", \
        rng.normal(1000.0, 30.0, size=512 * 512 * 256).astype(np.uint16), (512, 512, 256)


for name, voxels, dims in volumes():
    times = []
    for _ in range(5):
        image = new_image(voxels, dims)
        t0 = time.perf_counter()
        auto = go.vtkAutoGradientOpacity()
        auto.SetInputData(image)
        auto.Update()
        times.append((time.perf_counter() - t0) * 1e3)
    print("%-30s first use: median %7.1f ms, min %7.1f ms; low %.4g high %.4g (mapper units)" % (
        name, statistics.median(times), min(times), auto.GetLowThreshold(),
        auto.GetHighThreshold()))
