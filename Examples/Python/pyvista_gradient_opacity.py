#!/usr/bin/env python3
"""Automatic gradient opacity on a PyVista volume.

PyVista's Plotter.add_volume builds a vtkVolume whose mapper renders one
array of (a possibly converted copy of) the data. The curve must be computed
from exactly that array, so it is taken from the mapper's own input, then
applied to the volume's property:

    /usr/bin/python3 pyvista_gradient_opacity.py --output phantom.png
    /usr/bin/python3 pyvista_gradient_opacity.py HeadMRVolume.mhd --output head.png

Needs python3-pyvista (Debian 13 trixie and later) and an X display (e.g.
xvfb-run -a); the render is off screen.
"""
import argparse

import numpy as np
import pyvista as pv

from gradientopacity import vtkAutoGradientOpacity
from gradientopacity.phantom import make_phantom


def apply_auto_gradient_opacity(volume):
    """vtkAutoGradientOpacity on the array the volume's mapper renders; the
    curve goes to volume.GetProperty(). Returns the filter."""
    mapper = volume.GetMapper()
    data = mapper.GetInput()
    name = mapper.GetArrayName() or data.GetPointData().GetScalars().GetName()
    auto = vtkAutoGradientOpacity()
    auto.SetInputData(data)
    auto.SetInputArrayToProcess(0, 0, 0, 0, name)  # point data, by name
    auto.Update()
    # The property overload: VTK 9.6's wrapping does not match PyVista's
    # Volume (a Python subclass of vtkVolume) to ApplyTo(vtkVolume*).
    auto.ApplyTo(volume.GetProperty())
    return auto


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", help="a volume PyVista reads (default: CT phantom)")
    parser.add_argument("--output", default="pyvista_gradient_opacity.png")
    args = parser.parse_args()

    grid = pv.read(args.input) if args.input else pv.wrap(make_phantom((96, 96, 80)))
    plotter = pv.Plotter(off_screen=True, window_size=(512, 512))
    volume = plotter.add_volume(grid, cmap="bone", opacity="sigmoid", show_scalar_bar=False)
    auto = apply_auto_gradient_opacity(volume)
    print("gradient opacity, mapper units: low %.4g, high %.4g (table [0, %.4g])"
          % (auto.GetLowThreshold(), auto.GetHighThreshold(), auto.GetGradientScale()))
    plotter.camera_position = "yz"
    image = plotter.screenshot(args.output, return_img=True)
    print("wrote", args.output, "mean intensity %.1f" % np.asarray(image).mean())
    plotter.close()


if __name__ == "__main__":
    main()
