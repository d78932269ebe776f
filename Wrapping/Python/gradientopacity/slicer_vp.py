"""3D Slicer volume-property files.

Legacy .vp (vtkMRMLVolumePropertyStorageNode): nine text lines,

    1 interpolation type (int: 0 nearest, 1 linear)
    2 shade (int 0/1)
    3 diffuse
    4 ambient
    5 specular
    6 specular power
    7 scalar opacity:   "<2n> x1 y1 x2 y2 ... "      (n points)
    8 gradient opacity: "<2n> g1 y1 g2 y2 ..."
    9 colour:           "<4n> x1 r1 g1 b1 x2 ..."

Slicer up to 5.6 reads each line through a 1024-byte buffer: with a CRLF
line end that leaves 1022 characters, the limit kept here. Numbers are
written with 15 significant digits (as Slicer writes them), x strictly
increasing (Slicer nudges equal x apart instead of keeping both points) and
never inf or nan. A .vp keeps only (x, y) per point and carries no scalar
opacity unit distance: Slicer renders it with 1.0.

.vp.json (Slicer >= 5.9, vtkMRMLVolumePropertyJsonStorageNode, schema
volume-property-schema-v1.0.0.json): format_vp_json() writes it and
check_vp_json() checks a document against the schema's rules (required
keys, types, ranges, enumerations), written from the schema's text.
"""
import json
import math

MAX_LINE = 1022


def _fmt(v):
    if not math.isfinite(v):
        raise ValueError("a Slicer volume property cannot hold %r" % v)
    s = "%.15g" % v
    return "0" if s == "-0" else s


def _round15(v):
    return float("%.15g" % v)


def check_points(points, what):
    """Points as Slicer will keep them: finite, x strictly increasing after
    rounding to 15 significant digits. Raises ValueError."""
    prev = None
    for p in points:
        if not all(math.isfinite(v) for v in p):
            raise ValueError("%s: a point is not finite: %r" % (what, p))
        x = _round15(p[0])
        if prev is not None and not x > prev:
            raise ValueError("%s: x must increase strictly (%r after %r)" % (what, x, prev))
        prev = x


def convert_unit_distance(points, unit_distance, new_unit_distance=1.0):
    """Scalar-opacity points (x, y) for another unit distance with the same
    look: 1 - (1 - y)^(new / old) (exact at the points)."""
    r = float(new_unit_distance) / float(unit_distance)
    return [(x, 1.0 - (1.0 - min(max(y, 0.0), 1.0)) ** r) for x, y in points]


def _line(values, stride):
    return " ".join([str(len(values))] + [_fmt(v) for v in values])


def _fit(points, stride):
    """Flattened values of `points` whose line fits in MAX_LINE characters."""
    pts = list(points)
    while True:
        flat = [v for p in pts for v in p]
        line = _line(flat, stride)
        if len(line) <= MAX_LINE or len(pts) <= 2:
            return line
        # Keep the ends, drop every other interior point.
        pts = [pts[0]] + pts[1:-1:2] + [pts[-1]]


def format_vp(scalar_opacity, gradient_opacity, color, interpolation=1, shade=1,
              diffuse=0.9, ambient=0.1, specular=0.2, specular_power=10.0):
    """The .vp text. Functions are lists of (x, y) / (x, r, g, b) tuples."""
    for pts, what in ((scalar_opacity, "scalar opacity"), (gradient_opacity, "gradient opacity"),
                      (color, "colour")):
        check_points(pts, what)
    lines = [
        str(int(interpolation)), str(int(shade)), _fmt(diffuse), _fmt(ambient),
        _fmt(specular), _fmt(specular_power),
        _fit(scalar_opacity, 2), _fit(gradient_opacity, 2), _fit(color, 4),
    ]
    return "\n".join(lines) + "\n"


def parse_vp(text):
    """Parse .vp text (as Slicer does) into a dict; raises ValueError."""
    lines = text.split("\n")
    if len(lines) < 9:
        raise ValueError("a .vp file has 9 lines, got %d" % len(lines))
    for i, l in enumerate(lines[:9]):
        if len(l) > MAX_LINE:
            raise ValueError("line %d is %d characters long (Slicer reads at most %d)"
                             % (i + 1, len(l), MAX_LINE))

    def func(line, stride):
        tok = line.split()
        n = int(tok[0])
        vals = [float(t) for t in tok[1:]]
        if n != len(vals) or n % stride:
            raise ValueError("function line declares %d values, has %d" % (n, len(vals)))
        return [tuple(vals[i:i + stride]) for i in range(0, n, stride)]

    return {
        "interpolation": int(lines[0]), "shade": int(lines[1]),
        "diffuse": float(lines[2]), "ambient": float(lines[3]),
        "specular": float(lines[4]), "specular_power": float(lines[5]),
        "scalar_opacity": func(lines[6], 2), "gradient_opacity": func(lines[7], 2),
        "color": func(lines[8], 4),
    }


# ---------------------------------------------------------------------------
# .vp.json
VP_JSON_SCHEMA = ("https://raw.githubusercontent.com/slicer/slicer/main/Modules/Loadable/"
                  "VolumeRendering/Resources/Schema/volume-property-schema-v1.0.0.json#")
INTERPOLATION_TYPES = ("nearest", "linear", "cubic")


def _pw(points):
    return {"type": "piecewiseLinearFunction",
            "points": [{"x": _round15(x), "y": _round15(y), "midpoint": 0.5, "sharpness": 0.0}
                       for x, y in points]}


def _ctf(points):
    return {"type": "colorTransferFunction",
            "points": [{"x": _round15(x), "color": [_round15(r), _round15(g), _round15(b)],
                        "midpoint": 0.5, "sharpness": 0.0} for x, r, g, b in points]}


def vp_json_document(scalar_opacity, gradient_opacity, color, effective_range,
                     scalar_opacity_unit_distance, interpolation="linear", shade=True,
                     diffuse=0.9, ambient=0.1, specular=0.2, specular_power=10.0):
    """The .vp.json document (a dict) of one single-component volume
    property, the fields vtkMRMLVolumePropertyJsonStorageNode writes."""
    for pts, what in ((scalar_opacity, "scalar opacity"), (gradient_opacity, "gradient opacity"),
                      (color, "colour")):
        check_points(pts, what)
    doc = {
        "@schema": VP_JSON_SCHEMA,
        "volumeProperties": [{
            "effectiveRange": [_round15(effective_range[0]), _round15(effective_range[1])],
            "isoSurfaceValues": [],
            "independentComponents": True,
            "interpolationType": interpolation,
            "useClippedVoxelIntensity": False,
            "clippedVoxelIntensity": 0.0,
            "scatteringAnisotropy": 0.0,
            "components": [{
                "componentWeight": 1.0,
                "shade": bool(shade),
                "lighting": {"diffuse": diffuse, "ambient": ambient, "specular": specular,
                             "specularPower": specular_power},
                "disableGradientOpacity": False,
                "scalarOpacityUnitDistance": _round15(scalar_opacity_unit_distance),
                "rgbTransferFunction": _ctf(color),
                "scalarOpacity": _pw(scalar_opacity),
                "gradientOpacity": _pw(gradient_opacity),
            }],
        }],
    }
    check_vp_json(doc)
    return doc


def format_vp_json(*args, **kwargs):
    """The .vp.json text (see vp_json_document)."""
    return json.dumps(vp_json_document(*args, **kwargs), indent=2, allow_nan=False) + "\n"


def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_vp_json(doc):
    """Check a .vp.json document against the rules of Slicer's schema
    (volume-property-schema-v1.0.0.json: required keys, types, minimum /
    maximum, enumerations, array lengths) plus what Slicer's reader needs
    (a non-empty volumeProperties array: it reads item 0) and this
    project's own rules (finite numbers, x strictly increasing). Raises
    ValueError naming the first offending field."""
    def fail(where, msg):
        raise ValueError("%s: %s" % (where, msg))

    def need(obj, key, where):
        if key not in obj:
            fail(where, "required key %r missing" % key)
        return obj[key]

    def number(v, where, lo=None, hi=None):
        if not _is_num(v):
            fail(where, "must be a finite number, got %r" % (v,))
        if lo is not None and v < lo:
            fail(where, "must be >= %g" % lo)
        if hi is not None and v > hi:
            fail(where, "must be <= %g" % hi)

    def boolean(v, where):
        if not isinstance(v, bool):
            fail(where, "must be a boolean")

    def function(f, where, colour):
        if not isinstance(f, dict):
            fail(where, "must be an object")
        pts = need(f, "points", where)
        if not isinstance(pts, list):
            fail(where + ".points", "must be an array")
        prev = None
        for i, p in enumerate(pts):
            w = "%s.points[%d]" % (where, i)
            if not isinstance(p, dict):
                fail(w, "must be an object")
            for key in (("x", "color", "midpoint", "sharpness") if colour
                        else ("x", "y", "midpoint", "sharpness")):
                need(p, key, w)
            for key in ("x", "midpoint", "sharpness") + (() if colour else ("y",)):
                number(p[key], w + "." + key)
            if colour:
                c = p["color"]
                if not isinstance(c, list) or len(c) != 3:
                    fail(w + ".color", "must be an array of 3 numbers")
                for j, v in enumerate(c):
                    number(v, "%s.color[%d]" % (w, j), 0.0, 1.0)
            if prev is not None and not p["x"] > prev:
                fail(w + ".x", "x must increase strictly")
            prev = p["x"]

    if not isinstance(doc, dict):
        fail("$", "must be an object")
    if not isinstance(need(doc, "@schema", "$"), str):
        fail("$.@schema", "must be a string")
    vps = need(doc, "volumeProperties", "$")
    if not isinstance(vps, list) or not vps:
        fail("$.volumeProperties", "must be a non-empty array")
    for i, vp in enumerate(vps):
        w = "$.volumeProperties[%d]" % i
        if not isinstance(vp, dict):
            fail(w, "must be an object")
        if "effectiveRange" in vp:
            r = vp["effectiveRange"]
            if not isinstance(r, list) or len(r) != 2:
                fail(w + ".effectiveRange", "must be an array of 2 numbers")
            for j, v in enumerate(r):
                number(v, "%s.effectiveRange[%d]" % (w, j))
        if "isoSurfaceValues" in vp:
            if not isinstance(vp["isoSurfaceValues"], list):
                fail(w + ".isoSurfaceValues", "must be an array")
            for j, v in enumerate(vp["isoSurfaceValues"]):
                number(v, "%s.isoSurfaceValues[%d]" % (w, j))
        for key in ("independentComponents", "useClippedVoxelIntensity"):
            if key in vp:
                boolean(vp[key], w + "." + key)
        if "interpolationType" in vp and vp["interpolationType"] not in INTERPOLATION_TYPES:
            fail(w + ".interpolationType", "must be one of %s" % (INTERPOLATION_TYPES,))
        if "clippedVoxelIntensity" in vp:
            number(vp["clippedVoxelIntensity"], w + ".clippedVoxelIntensity")
        if "scatteringAnisotropy" in vp:
            number(vp["scatteringAnisotropy"], w + ".scatteringAnisotropy", -1.0, 1.0)
        comps = vp.get("components", [])
        if not isinstance(comps, list):
            fail(w + ".components", "must be an array")
        for j, c in enumerate(comps):
            cw = "%s.components[%d]" % (w, j)
            if not isinstance(c, dict):
                fail(cw, "must be an object")
            if "componentWeight" in c:
                number(c["componentWeight"], cw + ".componentWeight", 0.0, 1.0)
            for key in ("shade", "disableGradientOpacity"):
                if key in c:
                    boolean(c[key], cw + "." + key)
            if "lighting" in c:
                lw = cw + ".lighting"
                light = c["lighting"]
                if not isinstance(light, dict):
                    fail(lw, "must be an object")
                for key in ("ambient", "diffuse", "specular"):
                    number(need(light, key, lw), lw + "." + key, 0.0, 1.0)
                number(need(light, "specularPower", lw), lw + ".specularPower", 0.0)
            if "scalarOpacityUnitDistance" in c:
                number(c["scalarOpacityUnitDistance"], cw + ".scalarOpacityUnitDistance", 0.0)
            for key in ("grayTransferFunction", "scalarOpacity", "gradientOpacity"):
                if key in c:
                    function(c[key], cw + "." + key, False)
            if "rgbTransferFunction" in c:
                function(c["rgbTransferFunction"], cw + ".rgbTransferFunction", True)
    return True
