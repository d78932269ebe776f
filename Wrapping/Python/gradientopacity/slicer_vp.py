"""3D Slicer volume-property files (.vp), as written and read by Slicer's
vtkMRMLVolumePropertyStorageNode: nine text lines,

    1 interpolation type (int: 0 nearest, 1 linear)
    2 shade (int 0/1)
    3 diffuse
    4 ambient
    5 specular
    6 specular power
    7 scalar opacity:   "<2n> x1 y1 x2 y2 ... "      (n points)
    8 gradient opacity: "<2n> g1 y1 g2 y2 ..."       (x in mapper units)
    9 colour:           "<4n> x1 r1 g1 b1 x2 ..."

Slicer's reader uses a 1024-character line buffer (ifstream::getline), so
every line must stay below 1024 characters: numbers are written with 10
significant digits, and a function with too many points is resampled
(never the case for the tool's functions, which have < 30 points). Slicer
keeps only (x, y) per point: midpoints and sharpness are lost, which is why
the automatic curve is emitted as explicit piecewise-linear points.
"""

MAX_LINE = 1023


def _fmt(v):
    s = "%.10g" % v
    return "0" if s == "-0" else s


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
