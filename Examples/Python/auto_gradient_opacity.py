#!/usr/bin/env python3
"""Automatic gradient opacity for VTK volume rendering.

Loads a volume (or makes a noisy synthetic phantom), computes the
gradient-opacity function with gradientopacity.vtkAutoGradientOpacity (x axis
in the mapper's units: scalar units per average voxel), applies it to a
vtkVolumeProperty and renders offscreen to a PNG.

    /usr/bin/python3 auto_gradient_opacity.py ../../Data/HeadMRVolume.mhd --output head.png
    /usr/bin/python3 auto_gradient_opacity.py --synthetic --output phantom.png

Readers by extension: .mhd/.mha (vtkMetaImageReader), .vti
(vtkXMLImageDataReader), .nii/.nii.gz (vtkNIFTIImageReader), .slc
(vtkSLCReader). Rendering needs an X display (e.g. xvfb-run -a).
"""
import argparse
import os
import sys

from gradientopacity import vtkAutoGradientOpacity
from vtkmodules.vtkCommonDataModel import vtkImageData, vtkPiecewiseFunction
from vtkmodules.vtkRenderingCore import (vtkColorTransferFunction, vtkRenderWindow,
                                         vtkRenderer, vtkVolume, vtkVolumeProperty,
                                         vtkWindowToImageFilter)


def read_volume(path):
    lower = path.lower()
    if lower.endswith((".mhd", ".mha")):
        from vtkmodules.vtkIOImage import vtkMetaImageReader as Reader
    elif lower.endswith(".vti"):
        from vtkmodules.vtkIOXML import vtkXMLImageDataReader as Reader
    elif lower.endswith((".nii", ".nii.gz")):
        from vtkmodules.vtkIOImage import vtkNIFTIImageReader as Reader
    elif lower.endswith(".slc"):
        from vtkmodules.vtkIOImage import vtkSLCReader as Reader
    else:
        sys.exit("unknown volume format: " + path)
    reader = Reader()
    reader.SetFileName(path)
    reader.Update()
    image = vtkImageData()
    image.ShallowCopy(reader.GetOutput())
    return image


def synthetic_phantom(n=64, sigma=5.0):
    """Background 100, two spheres (200, 300), Gaussian noise of std sigma."""
    import numpy as np
    from vtkmodules.util import numpy_support
    z, y, x = np.mgrid[0:n, 0:n, 0:n].astype(float)
    f = np.full((n, n, n), 100.0)
    f[(x - 0.35 * n) ** 2 + (y - 0.4 * n) ** 2 + (z - 0.4 * n) ** 2 < (0.2 * n) ** 2] = 200.0
    f[(x - 0.62 * n) ** 2 + (y - 0.6 * n) ** 2 + (z - 0.6 * n) ** 2 < (0.15 * n) ** 2] = 300.0
    f += np.random.default_rng(1).normal(0.0, sigma, f.shape)
    image = vtkImageData()
    image.SetDimensions(n, n, n)
    image.SetSpacing(1.0, 1.0, 1.5)
    array = numpy_support.numpy_to_vtk(f.astype(np.float32).ravel(), deep=1)
    array.SetName("phantom")
    image.GetPointData().SetScalars(array)
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", nargs="?", help="volume file")
    parser.add_argument("--synthetic", action="store_true", help="use a noisy phantom")
    parser.add_argument("--output", default="auto_gradient_opacity.png", help="PNG to write")
    parser.add_argument("--mapper", choices=("gpu", "fixed"), default="gpu")
    parser.add_argument("--sampling", choices=("grid", "subvoxel"), default="subvoxel")
    parser.add_argument("-k", type=float, default=2.0, help="noise multiplier")
    parser.add_argument("--size", type=int, default=300, help="window size in pixels")
    args = parser.parse_args()
    if not args.input and not args.synthetic:
        parser.error("give a volume file or --synthetic")

    image = synthetic_phantom() if args.synthetic else read_volume(args.input)
    auto = vtkAutoGradientOpacity()
    auto.SetInputData(image)
    auto.SetSampling(vtkAutoGradientOpacity.SUBVOXEL if args.sampling == "subvoxel"
                     else vtkAutoGradientOpacity.GRID)
    auto.SetNoiseMultiplier(args.k)
    auto.Update()
    h = auto.GetMeanSpacing()
    print("scalar range      %g .. %g" % auto.GetScalarRange())
    print("gradient scale    %.4g (0.25 R: the mapper's table maximum)" % auto.GetGradientScale())
    print("noise floor       %.4g mapper units (%.4g per mm)" % (auto.GetNoiseFloor(),
                                                                auto.GetNoiseFloor() / h))
    print("low threshold     %.4g mapper units (%.4g per mm)" % (auto.GetLowThreshold(),
                                                                auto.GetLowThreshold() / h))
    print("high threshold    %.4g mapper units (%.4g per mm)" % (auto.GetHighThreshold(),
                                                                auto.GetHighThreshold() / h))
    if not os.environ.get("DISPLAY"):
        print("no X display: not rendering (run under xvfb-run -a)")
        return 0

    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (render window factory)
    import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401  (GPU mapper factory)
    if args.mapper == "gpu":
        from vtkmodules.vtkRenderingVolume import vtkGPUVolumeRayCastMapper as Mapper
    else:
        from vtkmodules.vtkRenderingVolume import vtkFixedPointVolumeRayCastMapper as Mapper

    lo, hi = auto.GetScalarRange()
    r = hi - lo
    scalar_opacity = vtkPiecewiseFunction()
    scalar_opacity.AddPoint(lo, 0.0)
    scalar_opacity.AddPoint(lo + 0.15 * r, 0.0)
    scalar_opacity.AddPoint(lo + 0.3 * r, 0.05)
    scalar_opacity.AddPoint(hi, 0.3)
    color = vtkColorTransferFunction()
    color.AddRGBPoint(lo, 0.0, 0.0, 0.0)
    color.AddRGBPoint(lo + 0.3 * r, 0.9, 0.6, 0.4)
    color.AddRGBPoint(hi, 1.0, 1.0, 1.0)
    prop = vtkVolumeProperty()
    prop.SetScalarOpacity(scalar_opacity)
    prop.SetColor(color)
    prop.SetInterpolationTypeToLinear()
    prop.ShadeOn()

    mapper = Mapper()
    mapper.SetInputData(image)
    volume = vtkVolume()
    volume.SetMapper(mapper)
    volume.SetProperty(prop)
    auto.ApplyTo(volume)  # sets the function, enables gradient opacity, checks the range mode

    renderer = vtkRenderer()
    renderer.AddVolume(volume)
    renderer.SetBackground(0.1, 0.1, 0.15)
    renderer.ResetCamera()
    renderer.GetActiveCamera().Elevation(-60)
    renderer.GetActiveCamera().OrthogonalizeViewUp()
    renderer.ResetCamera()
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.AddRenderer(renderer)
    window.SetSize(args.size, args.size)
    window.Render()
    grab = vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.Update()
    from vtkmodules.vtkIOImage import vtkPNGWriter
    writer = vtkPNGWriter()
    writer.SetInputData(grab.GetOutput())
    writer.SetFileName(args.output)
    writer.Write()
    print("wrote", args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
