"""gradient-opacity: volume in; promoted gradient volume, automatic
gradient-opacity control points, a 3D Slicer volume property, a histogram
plot and before/after renders out.

Exit codes: 0 ok, 1 internal error, 2 usage error, 3 unreadable or
unsupported input, 4 rendering unavailable (the other outputs are written).
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time
from contextlib import contextmanager

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INPUT, EXIT_RENDER = 0, 1, 2, 3, 4
JSON_SCHEMA_VERSION = 1

OUTPUT_FILES = {
    "gradient_magnitude": "gradient_magnitude.vti",
    "json": "gradient_opacity.json",
    "slicer_vp": "gradient_opacity.vp",
    "slicer_vp_json": "gradient_opacity.vp.json",
    "histogram": "histogram.png",
    "render_flat": "render_flat.png",
    "render_auto": "render_auto.png",
    "render_removed": "render_removed.png",
    "render_side_by_side": "render_side_by_side.png",
}

METHODS = {"central": 0, "sobel": 1, "gaussian": 2}
EDGES = {"copy": 0, "onesided": 1}
RENDERERS = ("vtk-gpu", "vtk-cpu", "slicer-gpu", "slicer-cpu", "paraview")
VIEWS = ("anterior", "posterior", "left", "right", "superior", "inferior")

# What x means for each renderer profile (vtkAutoGradientOpacity::Renderer).
RENDERER_UNITS = {
    "vtk-gpu": ("mapper", "scalar units per mean voxel spacing (vtkGPUVolumeRayCastMapper fed "
                          "the image as it is): per world unit x mean spacing"),
    "paraview": ("mapper", "scalar units per mean voxel spacing (ParaView's volume "
                           "representation feeds the GPU mapper the image as it is)"),
    "vtk-cpu": ("mapper", "scalar units per mean voxel spacing, grid gradients quantised to "
                          "8 bits (vtkFixedPointVolumeRayCastMapper)"),
    "slicer-cpu": ("mapper", "scalar units per mean voxel spacing, grid gradients quantised to "
                             "8 bits (3D Slicer's CPU ray casting: the fixed-point mapper with "
                             "the spacing restored)"),
    "slicer-gpu": ("index", "scalar units per voxel step on every axis (3D Slicer's GPU ray "
                            "casting hands the mapper the voxel array with spacing 1 and puts "
                            "the IJK-to-RAS matrix on the actor); no single per-world factor"),
}

EPILOG = """\
outputs (in --out DIR, default ./gradient-opacity-out):
  gradient_magnitude.vti   |grad f| as float32, origin/spacing/direction kept
                           (per world unit, e.g. HU/mm; --units mapper: per mean voxel)
  gradient_opacity.json    control points (mapper units and per mm), statistics,
                           the formulas' inputs, tool version
  gradient_opacity.vp.json 3D Slicer (>= 5.9) volume property: scalar opacity with its
                           unit distance, colour, the slicer-gpu (or --renderer
                           slicer-cpu) gradient opacity; load it in Volume Rendering
  gradient_opacity.vp      the same for older Slicer (scalar opacity converted for
                           Slicer's unit distance 1)
  histogram.png            log-gradient histogram, noise floor, thresholds, curve
  render_flat.png, render_auto.png, render_removed.png, render_side_by_side.png
                           offscreen renders through the renderer's route: flat,
                           automatic, and what the curve removes (opacity 1 - curve)

without INPUT the built-in CT-like phantom is used.
exit codes: 0 ok, 2 usage error, 3 unreadable/unsupported input,
            4 rendering unavailable (no X display: run under `xvfb-run -a`
            or pass --no-render; the other outputs are still written).
"""


class UsageError(Exception):
    pass


def _version():
    from . import __version__
    return __version__


def build_parser():
    from .readers import SUPPORTED
    p = argparse.ArgumentParser(
        prog="gradient-opacity",
        description="Compute the automatic gradient-opacity transfer function of a volume "
                    "(in the units VTK's volume mappers use) and write the gradient volume, "
                    "control points, a 3D Slicer volume property, a histogram plot and "
                    "before/after renders. Input formats: " + "; ".join(SUPPORTED) + ".",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", nargs="?", metavar="INPUT",
                   help="volume file or DICOM folder (default: the built-in CT-like phantom)")
    p.add_argument("--out", metavar="DIR", default="gradient-opacity-out",
                   help="output folder (default: ./gradient-opacity-out)")
    p.add_argument("--method", choices=sorted(METHODS), default=None,
                   help="gradient operator (default central: what the mappers use; "
                        "gaussian when only --sigma is given)")
    p.add_argument("--sigma", type=float, metavar="MM",
                   help="Gaussian sigma in world units (mm) for --method gaussian (default 1)")
    p.add_argument("--edge", choices=sorted(EDGES), default="copy",
                   help="edge rule of central/Sobel differences (default copy)")
    p.add_argument("--units", choices=("physical", "mapper"), default="physical",
                   help="units of gradient_magnitude.vti: per world unit (default) or "
                        "mapper units (per mean voxel spacing)")
    p.add_argument("--renderer", choices=RENDERERS, default="vtk-gpu",
                   help="renderer the curve is for (default vtk-gpu): its gradient is what "
                        "the statistics sample, every reported x is in its units and the "
                        "preview renders take its route")
    p.add_argument("--view", choices=VIEWS, default="anterior",
                   help="side the preview camera looks from (default anterior: from -y, "
                        "z up, in LPS world coordinates; NIfTI input is taken as RAS)")
    p.add_argument("--threads", type=int, metavar="N",
                   help="threads for the gradient (default: VTK's default)")
    p.add_argument("--no-render", action="store_true", help="skip the volume renders")
    p.add_argument("--json-only", action="store_true",
                   help="print the JSON document to stdout and write no files")
    p.add_argument("--quiet", action="store_true",
                   help="no progress and no summary (errors are still printed)")
    p.add_argument("--version", action="version",
                   version="gradient-opacity %s" % _version())
    return p


def _validate(args):
    if args.sigma is not None:
        if not (args.sigma > 0 and math.isfinite(args.sigma)):
            raise UsageError("--sigma must be a positive number of world units (mm)")
        if args.method is None:
            args.method = "gaussian"
        elif args.method != "gaussian":
            raise UsageError("--sigma applies to --method gaussian only")
    if args.method is None:
        args.method = "central"
    if args.sigma is None:
        args.sigma = 1.0
    if args.threads is not None and not (1 <= args.threads <= 1024):
        raise UsageError("--threads must be between 1 and 1024")


# ---------------------------------------------------------------------------
@contextmanager
def atomic_output(final_path):
    """Yield a temporary path beside `final_path`; rename it over the final
    path when the block succeeds, remove it otherwise."""
    d, base = os.path.split(final_path)
    fd, tmp = tempfile.mkstemp(prefix="." + base + ".", suffix=".tmp", dir=d or ".")
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, final_path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _write_text(path, text):
    with atomic_output(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)


def _finite(x):
    return x if isinstance(x, (int, float)) and math.isfinite(x) else None


# ---------------------------------------------------------------------------
def _table_columns(table):
    from vtkmodules.util.numpy_support import vtk_to_numpy
    cols = {}
    for name in ("BinCenterMapper", "BinCenterPhysical", "Count", "SmoothedCount"):
        a = table.GetColumnByName(name)
        cols[name] = vtk_to_numpy(a).astype(float) if a is not None else None
    return cols


def _field_data(table):
    out = {}
    fd = table.GetFieldData()
    for i in range(fd.GetNumberOfArrays()):
        a = fd.GetAbstractArray(i)
        if a is None or not a.GetName():
            continue
        n = a.GetNumberOfTuples() * a.GetNumberOfComponents()
        if hasattr(a, "GetValue"):
            vals = [a.GetValue(j) for j in range(n)]
            vals = [(_finite(float(v)) if isinstance(v, (int, float)) else v) for v in vals]
            out[a.GetName()] = vals[0] if n == 1 else vals
    return out


def _image_info(image):
    m = image.GetDirectionMatrix()
    return {
        "dimensions": list(image.GetDimensions()),
        "spacing": list(image.GetSpacing()),
        "origin": list(image.GetOrigin()),
        "direction": [m.GetElement(i, j) for i in range(3) for j in range(3)],
        "scalar_type": image.GetScalarTypeAsString(),
        "scalar_array": image.GetPointData().GetScalars().GetName(),
        "scalar_range": list(image.GetScalarRange()),
    }


def run(args, progress, messages):
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from . import readers, transfer_functions as tf
    from .GradientOpacity import vtkGradientMagnitudeFilter, vtkAutoGradientOpacity

    t_start = time.perf_counter()
    out_dir = os.path.abspath(args.out)
    paths = {k: os.path.join(out_dir, v) for k, v in OUTPUT_FILES.items()}

    def warn_vtk():
        for kind, text in messages.drain():
            if not args.quiet:
                sys.stderr.write("gradient-opacity: VTK %s: %s\n" % (kind, text))

    # Never overwrite (or write into) the input.
    if args.input is not None:
        src = os.path.realpath(args.input)
        if not args.json_only:
            for p in paths.values():
                if os.path.realpath(p) == src:
                    raise UsageError("refusing to overwrite the input %s: choose another --out"
                                     % args.input)
            if os.path.isdir(src) and os.path.realpath(out_dir) == src:
                raise UsageError("--out must not be the DICOM input folder")

    # 1. Input --------------------------------------------------------------
    with progress.step("read", "reading input") as step:
        if args.input is None:
            from . import phantom
            image = phantom.make_phantom()
            fmt, source = "phantom", phantom.DESCRIPTION
        else:
            image, fmt = readers.read_volume(args.input, step, messages)
            source = os.path.abspath(args.input)
        d = image.GetDimensions()
        step.note("%dx%dx%d %s" % (d[0], d[1], d[2], image.GetScalarTypeAsString()))
    warn_vtk()
    spacing = image.GetSpacing()
    hbar = sum(spacing) / 3.0

    so, color, tf_info = tf.default_functions(image)

    # 2. Gradient volume ----------------------------------------------------
    grad = None
    if not args.json_only:
        with progress.step("gradient", "gradient magnitude") as step:
            g = vtkGradientMagnitudeFilter()
            g.SetInputData(image)
            g.SetOperator(METHODS[args.method])
            g.SetSigma(args.sigma)
            g.SetEdgeMode(EDGES[args.edge])
            g.SetUnits(1 if args.units == "mapper" else 0)
            if args.threads:
                g.SetNumberOfThreads(args.threads)
            step.watch(g)
            g.Update()
            out = g.GetOutput()
            name = image.GetPointData().GetScalars().GetName() or "scalars"
            arr = out.GetPointData().GetScalars()
            if arr is None or out.GetNumberOfPoints() == 0:
                from .vtk_messages import first_error
                raise RuntimeError("gradient filter failed: %s"
                                   % (first_error(messages.drain()) or "no output"))
            grad = vtkImageData()
            grad.CopyStructure(out)
            grad.SetDirectionMatrix(image.GetDirectionMatrix())
            grad.GetPointData().SetScalars(arr)
            arr.SetName("%s_GradientMagnitude" % name)
        warn_vtk()

    # 3. Statistics and the automatic curve --------------------------------
    def statistics(profile):
        a = vtkAutoGradientOpacity()
        a.SetInputData(image)
        a.SetRenderer(RENDERERS.index(profile))
        a.SetOperator(METHODS[args.method])
        a.SetSigma(args.sigma)
        a.SetEdgeMode(EDGES[args.edge])
        a.SetScalarOpacity(so)
        if args.threads:
            a.SetNumberOfThreads(args.threads)
        return a

    with progress.step("statistics", "gradient statistics") as step:
        auto = statistics(args.renderer)
        step.watch(auto)
        auto.Update()
        gof = auto.GetGradientOpacityFunction()
        table = auto.GetStatisticsTable()
        step.note("low %.4g, high %.4g (%s units)" % (auto.GetLowThreshold(),
                                                      auto.GetHighThreshold(), args.renderer))
    warn_vtk()
    # The Slicer files always carry a curve for Slicer: the chosen profile
    # when it is a Slicer one, else Slicer's GPU route (its default).
    slicer_profile = args.renderer if args.renderer.startswith("slicer") else "slicer-gpu"
    slicer_auto = auto
    if slicer_profile != args.renderer and not args.json_only:
        with progress.step("slicer", "Slicer curve (%s)" % slicer_profile):
            slicer_auto = statistics(slicer_profile)
            slicer_auto.Update()
        warn_vtk()

    gmax = auto.GetGradientScale()
    mean_spacing = auto.GetMeanSpacing() or hbar
    curve = tf.function_points(gof)
    srange = list(auto.GetScalarRange())

    unit_kind, unit_text = RENDERER_UNITS[args.renderer]
    per_mm = unit_kind == "mapper"

    def both(x):
        # "renderer": the chosen renderer's units; "mapper" and
        # "per_world_unit" only where they are the same quantity.
        return {"renderer": _finite(x), "mapper": _finite(x) if per_mm else None,
                "per_world_unit": _finite(x / mean_spacing) if per_mm else None}

    # What the curve removes: the share of the (scalar-opacity weighted)
    # gradient samples it makes transparent, from the statistics histogram.
    cols = _table_columns(table)
    suppressed = None
    if cols["Count"] is not None and cols["Count"].sum() > 0:
        import numpy as np
        o = np.array([auto.EvaluateOpacity(float(x)) for x in cols["BinCenterMapper"]])
        suppressed = float((cols["Count"] * (1.0 - o)).sum() / cols["Count"].sum())

    doc = {
        "tool": "gradient-opacity",
        "version": _version(),
        "schema_version": JSON_SCHEMA_VERSION,
        "vtk_version": _vtk_version(),
        "input": dict({"source": source, "format": fmt}, **_image_info(image)),
        "gradient": {
            "method": args.method,
            "sigma_world_units": args.sigma if args.method == "gaussian" else None,
            "edge": args.edge,
            "volume_units": args.units,
        },
        "renderer": {
            "profile": args.renderer,
            "units": unit_text,
            "route": {"vtk-gpu": "native-gpu", "paraview": "native-gpu",
                      "slicer-gpu": "slicer-gpu", "vtk-cpu": "native-cpu",
                      "slicer-cpu": "slicer-cpu"}[args.renderer],
        },
        "units": {
            "renderer": unit_text,
            "mapper": "scalar units per mean voxel spacing: the x axis of VTK's GPU and "
                      "fixed-point mapper gradient-opacity functions fed the image as it is "
                      "(null for profiles in other units)",
            "per_world_unit": "scalar units per world unit (e.g. HU/mm) = mapper / mean_spacing "
                              "(null for profiles in other units)",
            "mean_spacing": mean_spacing,
            "gradient_scale_gmax": gmax,
        },
        "statistics": {
            "noise_floor": both(auto.GetNoiseFloor()),
            "noise_floor_mode": both(auto.GetNoiseFloorMode()),
            "predicted_noise_floor": both(auto.GetPredictedNoiseFloor()),
            "median_gradient": both(auto.GetMedianGradient()),
            "low_threshold": both(auto.GetLowThreshold()),
            "high_threshold": both(auto.GetHighThreshold()),
            "edge_strength": both(auto.GetEdgeStrength()),
            "noise_sigma_scalar_units": _finite(auto.GetNoiseSigma()),
            "scalar_range": list(srange),
            "suppressed_fraction": _finite(suppressed) if suppressed is not None else None,
            "table_field_data": _field_data(table),
        },
        "formula_inputs": {
            "noise_multiplier_k": auto.GetNoiseMultiplier(),
            "minimum_opacity": auto.GetMinimumOpacity(),
            "sampling": ("grid" if args.renderer in ("vtk-cpu", "slicer-cpu")
                         else "subvoxel" if auto.GetSampling() == 1 else "grid"),
            "number_of_bins": auto.GetNumberOfBins(),
            "dynamic_range": auto.GetDynamicRange(),
            "histogram_smoothing_bins": auto.GetHistogramSmoothing(),
            "number_of_ramp_points": auto.GetNumberOfRampPoints(),
            "gradient_scale_gmax": gmax,
            "weights": "default scalar opacity (only visible voxels count)",
            "formulas": {
                "gmax": "0.25 * (scalar max - scalar min)",
                "low_threshold": "k * noise_floor (at most gmax / 1.5)",
                "high_threshold": "edge_strength = weighted median of g above low, "
                                  "clamped to [1.5 low, gmax]",
                "curve": "m for g <= low; 1 for g >= high; between: m + (1 - m) * "
                         "(3t^2 - 2t^3), t = ln(g/low) / ln(high/low)",
            },
        },
        "control_points": [
            {"x": _finite(x), "x_mapper": _finite(x) if per_mm else None,
             "x_per_world_unit": _finite(x / mean_spacing) if per_mm else None,
             "opacity": _finite(y)} for x, y in curve],
        "scalar_opacity": tf_info["scalar_opacity"],
        "color": tf_info["color"],
        "otsu_threshold": tf_info["otsu_threshold"],
    }

    if args.json_only:
        doc["outputs"] = {}
        doc["render"] = {"status": "skipped (--json-only)"}
        doc["timings_s"] = dict(progress.timings, total=round(time.perf_counter() - t_start, 3))
        sys.stdout.write(json.dumps(doc, indent=2, allow_nan=False) + "\n")
        return EXIT_OK

    os.makedirs(out_dir, exist_ok=True)
    written = {}

    # 4. Files --------------------------------------------------------------
    with progress.step("write", "writing outputs"):
        from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
        with atomic_output(paths["gradient_magnitude"]) as tmp:
            w = vtkXMLImageDataWriter()
            w.SetFileName(tmp)
            w.SetInputData(grad)
            # Inline (base64, zlib): every VTK reads it. Appended raw data
            # fail in VTK < 9.3 with libexpat carrying the CVE-2023-52425 fix.
            w.SetDataModeToBinary()
            if w.Write() != 1:
                raise OSError("could not write %s" % paths["gradient_magnitude"])
        written["gradient_magnitude"] = OUTPUT_FILES["gradient_magnitude"]

        from .slicer_vp import format_vp, format_vp_json, convert_unit_distance
        # Same shading as the renders (render.Renderer). Unit distance: the
        # one the preview of that route uses (Slicer's GPU route works in
        # voxels, so 1 voxel there looks like a mean voxel natively).
        slicer_curve = tf.function_points(slicer_auto.GetGradientOpacityFunction())
        unit = 1.0 if slicer_profile == "slicer-gpu" else mean_spacing
        so_points = tf.function_points(so)
        shading = dict(diffuse=0.85, ambient=0.15, specular=0.2, specular_power=10.0)
        _write_text(paths["slicer_vp_json"], format_vp_json(
            so_points, slicer_curve, tf.color_points(color), srange, unit, **shading))
        written["slicer_vp_json"] = OUTPUT_FILES["slicer_vp_json"]
        # A .vp has no unit distance (Slicer uses 1): convert the opacity.
        vp_so = convert_unit_distance(so_points, unit, 1.0)
        _write_text(paths["slicer_vp"], format_vp(
            vp_so, slicer_curve, tf.color_points(color), **shading))
        written["slicer_vp"] = OUTPUT_FILES["slicer_vp"]
        doc["slicer"] = {
            "profile": slicer_profile,
            "units": RENDERER_UNITS[slicer_profile][1],
            "gradient_opacity": [[_finite(x), _finite(y)] for x, y in slicer_curve],
            "low_threshold": _finite(slicer_auto.GetLowThreshold()),
            "high_threshold": _finite(slicer_auto.GetHighThreshold()),
            "scalar_opacity_unit_distance": unit,
            "vp_scalar_opacity": [[_finite(x), _finite(y)] for x, y in vp_so],
        }

        from .plots import plot_histogram
        title = "%s\nrenderer %s; %s, %s" % (
            os.path.basename(source) if fmt != "phantom" else "built-in phantom",
            args.renderer, args.method, "sigma %g" % args.sigma if args.method == "gaussian"
            else "edge " + args.edge)
        with atomic_output(paths["histogram"]) as tmp:
            plot_histogram(tmp, cols["BinCenterMapper"], cols["Count"], cols["SmoothedCount"],
                           auto.GetNoiseFloor(), auto.GetLowThreshold(),
                           auto.GetHighThreshold(), gmax, curve,
                           mean_spacing if per_mm else 0.0, title,
                           units_label=unit_text.split(" (")[0])
        written["histogram"] = OUTPUT_FILES["histogram"]
    warn_vtk()

    # 5. Renders ------------------------------------------------------------
    status = EXIT_OK
    if args.no_render:
        doc["render"] = {"status": "skipped (--no-render)"}
    else:
        from . import render
        problem = render.display_problem()
        if problem:
            doc["render"] = {"status": "unavailable", "reason": problem}
            status = EXIT_RENDER
        else:
            import numpy as np
            route = render.route_for_profile(args.renderer)
            with progress.step("render", "rendering (%s route)" % route) as step:
                # NIfTI images are in RAS (x right-to-left flipped, y anterior).
                frame = "RAS" if fmt == "nifti" else "LPS"
                r = render.Renderer(image, so, color, route=route, view=args.view, frame=frame)
                flat = r.render(tf.flat_gradient_opacity(gmax), "flat gradient opacity")
                step.draw(0.33)
                auto.ApplyTo(r.prop)
                autoimg = r.render(r.prop.GetGradientOpacity(),
                                   "automatic gradient opacity (%s)" % args.renderer)
                step.draw(0.67)
                removed_label = "removed by the curve"
                if suppressed is not None:
                    removed_label += ": %.0f%% of samples" % (100 * suppressed)
                removed = r.render(tf.complement_function(auto.GetGradientOpacityFunction()),
                                   removed_label)
                unit_distance = r.unit_distance
                r.close()
                gap = np.full((flat.shape[0], 4, 3), 255, np.uint8)
                side = np.concatenate([flat, gap, autoimg, gap, removed], axis=1)
                for key, img in (("render_flat", flat), ("render_auto", autoimg),
                                 ("render_removed", removed), ("render_side_by_side", side)):
                    with atomic_output(paths[key]) as tmp:
                        render.write_png(tmp, img)
                    written[key] = OUTPUT_FILES[key]
                doc["render"] = {
                    "status": "ok", "route": route, "view": args.view, "frame": frame,
                    "mapper": ("vtkGPUVolumeRayCastMapper" if route.endswith("gpu")
                               else "vtkFixedPointVolumeRayCastMapper"),
                    "scalar_opacity_unit_distance": unit_distance,
                    "shaded": bool(r.shaded),
                    "size": [int(flat.shape[1]), int(flat.shape[0])],
                    "mean_intensity_flat": float(flat.mean()),
                    "mean_intensity_auto": float(autoimg.mean()),
                    "mean_intensity_removed": float(removed.mean()),
                }
            warn_vtk()

    written["json"] = OUTPUT_FILES["json"]
    doc["outputs"] = {"folder": out_dir, "files": written}
    doc["timings_s"] = dict(progress.timings, total=round(time.perf_counter() - t_start, 3))
    _write_text(paths["json"], json.dumps(doc, indent=2, allow_nan=False) + "\n")

    if not args.quiet:
        _summary(doc, sys.stdout)
    if status == EXIT_RENDER:
        sys.stderr.write(
            "gradient-opacity: error: rendering unavailable: %s. Run under a virtual X "
            "server (xvfb-run -a gradient-opacity ...) or pass --no-render. The other "
            "outputs were written to %s\n" % (doc["render"]["reason"], out_dir))
    return status


def _vtk_version():
    try:
        from vtkmodules.vtkCommonCore import vtkVersion
        return vtkVersion.GetVTKVersion()
    except Exception:  # noqa: BLE001
        return None


def _summary(doc, out):
    st = doc["statistics"]
    inp = doc["input"]
    lines = [
        "input           %s" % inp["source"],
        "                %s, %s, spacing %s, range %s" % (
            "x".join(str(d) for d in inp["dimensions"]), inp["scalar_type"],
            " x ".join("%g" % s for s in inp["spacing"]),
            " .. ".join("%g" % v for v in inp["scalar_range"])),
        "gradient        %s (edge %s)%s" % (doc["gradient"]["method"], doc["gradient"]["edge"],
                                       ", sigma %g" % doc["gradient"]["sigma_world_units"]
                                       if doc["gradient"]["sigma_world_units"] else ""),
        "renderer        %s: %s" % (doc["renderer"]["profile"], doc["renderer"]["units"]),
        "units           mean spacing %.4g; gmax = 0.25 R = %.4g" % (
            doc["units"]["mean_spacing"], doc["units"]["gradient_scale_gmax"]),
    ]
    for key, label in (("noise_floor", "noise floor"), ("low_threshold", "low threshold"),
                       ("high_threshold", "high threshold")):
        v = st[key]
        if v["per_world_unit"] is not None:
            lines.append("%-15s %.4g (%s) = %.4g per world unit" % (
                label, v["renderer"] or 0, doc["renderer"]["profile"], v["per_world_unit"]))
        else:
            lines.append("%-15s %.4g (%s)" % (label, v["renderer"] or 0,
                                              doc["renderer"]["profile"]))
    pts = doc["control_points"]
    lines.append("curve           %d control points: %s" % (len(pts), "  ".join(
        "(%.4g, %.2f)" % (p["x"], p["opacity"]) for p in pts[:2] + pts[-2:])))
    if st.get("suppressed_fraction") is not None:
        lines.append("suppressed      %.1f %% of the visible gradient samples" % (
            100 * st["suppressed_fraction"]))
    if "slicer" in doc:
        lines.append("3D Slicer       %s curve, low %.4g high %.4g; .vp.json unit distance %g" % (
            doc["slicer"]["profile"], doc["slicer"]["low_threshold"],
            doc["slicer"]["high_threshold"], doc["slicer"]["scalar_opacity_unit_distance"]))
    if doc["render"].get("status") == "ok":
        lines.append("renders         %s route; mean intensity flat %.1f -> auto %.1f, "
                     "removed %.1f" % (doc["render"]["route"],
                                       doc["render"]["mean_intensity_flat"],
                                       doc["render"]["mean_intensity_auto"],
                                       doc["render"]["mean_intensity_removed"]))
    lines.append("wrote           %s/{%s}" % (doc["outputs"]["folder"],
                                         ",".join(sorted(doc["outputs"]["files"].values()))))
    lines.append("time            %.2f s" % doc["timings_s"]["total"])
    out.write("\n".join(lines) + "\n")
    out.flush()


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    try:
        _validate(args)
    except UsageError as e:
        parser.print_usage(sys.stderr)
        sys.stderr.write("gradient-opacity: error: %s\n" % e)
        return EXIT_USAGE

    from .progress import Progress, choose_mode
    from .readers import InputError
    from .vtk_messages import VTKMessages

    # Progress writes to a duplicate of stderr, so it stays visible while the
    # readers capture file descriptor 2 (C++ libraries print there).
    try:
        err_stream = os.fdopen(os.dup(2), "w", buffering=1)
    except OSError:
        err_stream = sys.stderr
    progress = Progress(choose_mode(args.quiet, err_stream), err_stream)
    messages = VTKMessages().install()
    try:
        return run(args, progress, messages)
    except UsageError as e:
        parser.print_usage(sys.stderr)
        sys.stderr.write("gradient-opacity: error: %s\n" % e)
        return EXIT_USAGE
    except InputError as e:
        sys.stderr.write("gradient-opacity: error: %s\n" % e)
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("gradient-opacity: interrupted\n")
        return 130
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        sys.stderr.write("gradient-opacity: internal error: %s\n" % e)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
