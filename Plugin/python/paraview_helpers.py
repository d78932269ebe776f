"""ParaView (pvpython / pvbatch) helpers of the gradientopacity package.

    from paraview.simple import *
    from gradientopacity import paraview_helpers as gph
    gph.load_plugin()                       # LoadPlugin of GradientOpacityPlugin.so
    src = XMLImageDataReader(FileName=["ct.vti"])
    result = gph.apply_auto_gradient_opacity(src, view)

Route: the separate opacity array. ParaView 5.11 has no editor for VTK's 1D
gradient-opacity function, and its volume representation does not expose
vtkVolumeProperty's gradient opacity. It offers two other routes: its 2D
transfer function with our array as the Y axis, and a separate opacity array.
This module uses the separate opacity array:
  1. "Promoted Gradient Magnitude" with Units Mapper adds the gradient
     magnitude g in mapper units (scalar units per average voxel, the x axis
     of the automatic function) as "<scalars>_GradientMagnitude".
  2. "Auto Gradient Opacity" on that output, with GradientArrayName = that
     array, computes the control points.
  3. The representation is set to UseSeparateOpacityArray with
     OpacityArrayName = the magnitude array. The opacity transfer function of
     that array gets the automatic control points. Its LUT has
     AutomaticRescaleRangeMode 'Never', so the x values stay in mapper units.
How ParaView 5.11 renders this (vtkImageVolumeRepresentation /
vtkVolumeRepresentation::AppendOpacityComponent): it builds a two-component
array "<scalars>_and_opacity" (colour component, opacity component) and sets
IndependentComponents off. The GPU mapper then colours with component 0
through the colour LUT, and takes the opacity of component 1 from
rep.ScalarOpacityFunction. The x axis of that lookup is the value of our
array: no rescaling. The pvbatch test checks this with a step function. A step
just above the array's maximum renders blank; a step at half of it does not.
Consequences:
  - The opacity of a sample is the automatic gradient opacity of the
    trilinearly interpolated grid magnitude (our operator, not the shader's
    own central differences).
  - The scalar opacity of the colour array is not multiplied in: opacity
    comes from the gradient only.
  - Shading (rep.Shade) still uses the shader's own gradient.
Why not the 2D route: 5.11's 2D transfer function (vtkPVTransferFunction2D) is
made of boxes, i.e. constant-alpha rectangles in (value, Y) space. The smooth
ramp between the two thresholds would need many stacked boxes, and the boxes
are not scriptable from the Python LUT API in 5.11.

The automatic curve is 0 below LowThreshold = k * noise floor, where the noise
floor is the mode of ln g below the median of g. On data without noise, e.g.
ParaView's Wavelet source, that mode is the bulk of the smooth gradients.
There k * floor can exceed every g in the volume, and the render is then empty,
correctly. apply_auto_gradient_opacity reports it: "all_below_low" in the
returned dict, plus a warning.
"""

import os

PLUGIN_NAME = "GradientOpacityPlugin"
_loaded_path = None

# Former paraview.simple names -> current ones. paraview.simple names its
# functions after the proxy labels; "Promoted Gradient Magnitude" was labelled
# "Gradient Magnitude (promoted)". ParaView's plugin loader lists every filter
# proxy of a plugin in the Filters menu, so an alias proxy in the XML would
# show the filter twice in the GUI: the former name is published here instead.
FORMER_NAMES = {"GradientMagnitudepromoted": "PromotedGradientMagnitude"}


def _publish_former_names(ns):
    for old, new in FORMER_NAMES.items():
        if new in ns and old not in ns:
            ns[old] = ns[new]


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
    PromotedGradientMagnitude and AutoGradientOpacity in paraview.simple (and
    in `ns`), plus the former name GradientMagnitudepromoted."""
    global _loaded_path
    from paraview import simple
    path = path or plugin_path()
    if _loaded_path is None and not plugin_loaded():
        simple.LoadPlugin(path, remote=False, ns=ns if ns is not None else simple.__dict__)
        _loaded_path = path
    elif ns is not None:
        # Already loaded (by us or by LoadPlugin): only publish the proxies in ns.
        simple._add_functions(ns)
    for names in (ns, simple.__dict__):
        if names is not None:
            _publish_former_names(names)
    return _loaded_path or path


def plugin_loaded():
    """True when the plugin's proxies are registered (LoadPlugin twice makes
    ParaView 5.11 print "Plugin load failed")."""
    from paraview import servermanager
    pxm = servermanager.ProxyManager()
    defs = pxm.SMProxyManager.GetProxyDefinitionManager()
    return bool(defs and defs.HasDefinition("filters", "AutoGradientOpacity"))


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
    load_plugin(ns=simple.__dict__)
    view = view or simple.GetActiveViewOrCreate("RenderView")
    info = source.GetDataInformation().GetPointDataInformation()
    if scalars is None:
        scalars = source.PointData.keys()[0]
    gm = simple.PromotedGradientMagnitude(Input=source)
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
    gm.UpdatePipeline()
    grange = gm.PointData[gm_name].GetRange()
    all_below_low = grange[1] <= stats.get("LowThreshold", 0.0)
    if all_below_low:
        import warnings
        warnings.warn("apply_auto_gradient_opacity: every gradient magnitude (max %g) is below the "
                      "automatic low threshold %g (noise-free data?): the volume renders empty"
                      % (grange[1], stats.get("LowThreshold", 0.0)))

    rep = simple.Show(gm, view)
    rep.Representation = "Volume"
    simple.ColorBy(rep, ("POINTS", scalars))
    lut = simple.GetColorTransferFunction(scalars)
    if colormap_preset:
        lut.ApplyPreset(colormap_preset, True)
    # The colour component of the combined "<scalars>_and_opacity" array goes
    # through this LUT: give it the data range explicitly (the representation's
    # own rescale would also touch the separate opacity function).
    srange = source.PointData[scalars].GetRange()
    # ParaView 5.11 copies the colour component into the combined array with
    # vtkVolumeRepresentation::AppendOpacityComponent, which takes the
    # *magnitude* unless the LUT is in Component mode. Even a 1-component array
    # then becomes |f| (air at -1000 HU is coloured like +1000). Component 0
    # keeps the signed values.
    lut.VectorMode = "Component"
    lut.VectorComponent = 0
    lut.RescaleTransferFunction(srange[0], srange[1])
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
            "points": pts, "stats": stats, "array": gm_name, "gradient_range": grange,
            "all_below_low": all_below_low}
