"""ParaView (pvpython / pvbatch) helpers of the gradientopacity package.

    from paraview.simple import *
    from gradientopacity import paraview_helpers as gph
    gph.load_plugin()                       # LoadPlugin of GradientOpacityPlugin.so
    src = Wavelet()
    result = gph.apply_auto_gradient_opacity(src, view)

Route. ParaView 5.11 has no editor for VTK's 1D gradient-opacity function,
and its volume representation does not expose vtkVolumeProperty's gradient
opacity. Of the two routes it has (its 2D transfer function with our array as
the Y axis, and a separate opacity array) this module uses the separate
opacity array: "Gradient Magnitude (promoted)" with Units Mapper adds the
gradient magnitude g in mapper units (scalar units per average voxel, the x
axis of the automatic function), "Auto Gradient Opacity" computes the
function's control points (global over MPI ranks), and the representation is
set to UseSeparateOpacityArray with OpacityArrayName = the magnitude array and
the opacity transfer function of that array = the automatic control points,
with its range locked (AutomaticRescaleRangeMode 'Never' on that array's LUT) so that the x values
stay in mapper units. The 2D route was not taken because 5.11's 2D transfer
function is made of boxes (constant-alpha rectangles), which cannot express
the smooth ramp without many stacked boxes. Consequence: the opacity of a
sample is the automatic gradient opacity of the interpolated grid magnitude
(our operator, not the shader's own central differences) and the scalar
opacity of the colour array is not multiplied in.
"""

import os

PLUGIN_NAME = "GradientOpacityPlugin"


def plugin_path():
    """Path of GradientOpacityPlugin.so: $GRADIENTOPACITY_PLUGIN, else the build or
    install layout <libdir>/paraview-5.11/plugins/GradientOpacity relative to
    this package (<libdir>/python3.x/site-packages/gradientopacity)."""
    env = os.environ.get("GRADIENTOPACITY_PLUGIN")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = []
    d = here
    for _ in range(6):
        d = os.path.dirname(d)
        for sub in ("paraview-5.11/plugins", "lib/paraview-5.11/plugins",
                    "lib/x86_64-linux-gnu/paraview-5.11/plugins"):
            candidates.append(os.path.join(d, sub, PLUGIN_NAME, PLUGIN_NAME + ".so"))
    for c in candidates:
        if os.path.exists(c):
            return c
    raise RuntimeError("GradientOpacityPlugin.so not found; set GRADIENTOPACITY_PLUGIN")


def load_plugin(path=None, ns=None):
    """LoadPlugin(path, remote=False): the proxies become available as
    GradientMagnitudepromoted and AutoGradientOpacity in paraview.simple."""
    from paraview import simple
    path = path or plugin_path()
    simple.LoadPlugin(path, remote=False, ns=ns if ns is not None else globals())
    return path


def fetch_table(proxy, port=0):
    """The table of output `port` as computed on rank 0 (where the reduced
    result lives)."""
    from paraview import servermanager
    return servermanager.Fetch(proxy, 0, idx=port)


def control_points(proxy, port=0):
    """[(x_mapper, opacity), ...] and the statistics dict of an
    "Auto Gradient Opacity" proxy."""
    t = fetch_table(proxy, port)
    xs = t.GetColumnByName("GradientMapper")
    ys = t.GetColumnByName("Opacity")
    pts = [(xs.GetValue(i), ys.GetValue(i)) for i in range(t.GetNumberOfRows())]
    fd = t.GetFieldData()
    stats = {}
    for i in range(fd.GetNumberOfArrays()):
        a = fd.GetArray(i)
        if a is None:
            continue
        v = [a.GetComponent(0, c) for c in range(a.GetNumberOfComponents())]
        stats[a.GetName()] = v[0] if len(v) == 1 else tuple(v)
    return pts, stats


def apply_auto_gradient_opacity(source, view=None, scalars=None, sampling="Grid",
                                noise_multiplier=2.0, colormap_preset=None):
    """Volume-render `source` (an image proxy) in `view` with the automatic
    gradient opacity. Returns a dict with the proxies, the control points and
    the statistics."""
    from paraview import simple
    if not hasattr(simple, "AutoGradientOpacity"):
        load_plugin(ns=simple.__dict__)
    view = view or simple.GetActiveViewOrCreate("RenderView")
    info = source.GetDataInformation().GetPointDataInformation()
    if scalars is None:
        scalars = source.PointData.keys()[0]
    gm = simple.GradientMagnitudepromoted(Input=source)
    gm.Scalars = ["POINTS", scalars]
    gm.Units = "Mapper (per average voxel)"
    gm.OutputScalarType = "Float"
    gm_name = scalars + "_GradientMagnitude"
    auto = simple.AutoGradientOpacity(Input=gm)
    auto.Scalars = ["POINTS", scalars]
    auto.GradientArrayName = gm_name
    auto.Sampling = sampling
    auto.NoiseMultiplier = noise_multiplier
    auto.UpdatePipeline()
    pts, stats = control_points(auto)

    rep = simple.Show(gm, view)
    rep.Representation = "Volume"
    simple.ColorBy(rep, ("POINTS", scalars))
    lut = simple.GetColorTransferFunction(scalars)
    if colormap_preset:
        lut.ApplyPreset(colormap_preset, True)
    rep.UseSeparateOpacityArray = 1
    rep.OpacityArrayName = ["POINTS", gm_name]
    rep.OpacityComponent = ""
    # In 5.11 the rescale mode lives on the array's colour LUT, which owns
    # its opacity function: lock it so the x values stay in mapper units.
    gm_lut = simple.GetColorTransferFunction(gm_name)
    gm_lut.AutomaticRescaleRangeMode = "Never"
    pwf = simple.GetOpacityTransferFunction(gm_name)
    flat = []
    for x, y in pts:
        flat += [x, y, 0.5, 0.0]
    pwf.Points = flat
    rep.ScalarOpacityFunction = pwf
    return {"gradient": gm, "auto": auto, "representation": rep, "opacity": pwf,
            "points": pts, "stats": stats, "array": gm_name}
