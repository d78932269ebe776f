"""Default scalar-opacity and colour transfer functions of the
gradient-opacity tool's renders (and of its Slicer .vp file).

They are generic, computed from the scalars alone, and tuned for CT-like
data: the background/foreground split T is Otsu's threshold of the scalar
histogram (air vs body for CT, background vs object for MR and microscopy).
With R = max - min, opacities per mean voxel spacing (the property's
ScalarOpacityUnitDistance is set to the mean spacing):

    value      min   T     T + 0.08 R   (T + max) / 2   max
    opacity    0     0     0.04         0.08            0.6
    colour     black dark-red  red-brown  flesh          white

Everything above T (soft tissue) is faintly opaque, so with a flat gradient
opacity thick soft tissue fogs the view; bone-like high values are bright.
"""
import numpy as np

POINTS = (0.0, 0.03, 0.05, 0.25)  # opacity at T, T+0.08R, midpoint, max


def otsu_threshold(values, bins=256):
    """Otsu's threshold of a 1D array of finite values."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return 0.0
    lo, hi = float(v.min()), float(v.max())
    if hi <= lo:
        return lo
    hist, edges = np.histogram(v, bins=bins, range=(lo, hi))
    centres = 0.5 * (edges[:-1] + edges[1:])
    w = hist.astype(np.float64)
    w0 = np.cumsum(w)
    w1 = w0[-1] - w0
    m = np.cumsum(w * centres)
    mu0 = m / np.maximum(w0, 1e-300)
    mu1 = (m[-1] - m) / np.maximum(w1, 1e-300)
    between = w0 * w1 * (mu0 - mu1) ** 2
    between[(w0 == 0) | (w1 == 0)] = -1
    return float(centres[int(np.argmax(between))])


def scalar_values(image, max_samples=2_000_000):
    from vtkmodules.util.numpy_support import vtk_to_numpy
    a = vtk_to_numpy(image.GetPointData().GetScalars()).ravel()
    step = max(1, a.size // max_samples)
    return a[::step].astype(np.float64)


def default_functions(image):
    """(scalar opacity vtkPiecewiseFunction, vtkColorTransferFunction, info dict)."""
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
    from vtkmodules.vtkRenderingCore import vtkColorTransferFunction

    v = scalar_values(image)
    finite = v[np.isfinite(v)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1.0
    R = hi - lo
    T = otsu_threshold(finite)
    T = min(max(T, lo), lo + 0.9 * R)
    x1 = min(T + 0.08 * R, hi - 0.02 * R)
    x2 = max(0.5 * (T + hi), x1 + 0.01 * R)
    xs = [lo, T, x1, x2, hi]
    # Strictly increasing x (a degenerate T at the minimum would repeat lo).
    for i in range(1, len(xs)):
        if xs[i] <= xs[i - 1]:
            xs[i] = xs[i - 1] + 1e-6 * R
    opac = [0.0] + list(POINTS)
    colours = [(0.0, 0.0, 0.0), (0.45, 0.12, 0.08), (0.75, 0.35, 0.25),
               (0.95, 0.80, 0.65), (1.0, 1.0, 0.97)]
    so = vtkPiecewiseFunction()
    for x, y in zip(xs, opac):
        so.AddPoint(x, y)
    ct = vtkColorTransferFunction()
    for x, c in zip(xs, colours):
        ct.AddRGBPoint(x, *c)
    info = {"otsu_threshold": T, "scalar_range": [lo, hi],
            "scalar_opacity": [[x, y] for x, y in zip(xs, opac)],
            "color": [[x] + list(c) for x, c in zip(xs, colours)]}
    return so, ct, info


def flat_gradient_opacity(gmax):
    """Gradient opacity 1 everywhere over [0, gmax] (the 'before' render)."""
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
    f = vtkPiecewiseFunction()
    f.AddPoint(0.0, 1.0)
    f.AddPoint(max(gmax, 1e-12), 1.0)
    return f


def function_points(f):
    """[(x, y)] of a vtkPiecewiseFunction's nodes."""
    out = []
    node = [0.0] * 4
    for i in range(f.GetSize()):
        f.GetNodeValue(i, node)
        out.append((node[0], node[1]))
    return out


def color_points(f):
    out = []
    node = [0.0] * 6
    for i in range(f.GetSize()):
        f.GetNodeValue(i, node)
        out.append((node[0], node[1], node[2], node[3]))
    return out


def complement_function(f):
    """1 - f at every node of a piecewise function (the opacity a gradient-
    opacity curve removes)."""
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
    out = vtkPiecewiseFunction()
    for i in range(f.GetSize()):
        v = [0.0] * 4
        f.GetNodeValue(i, v)
        out.AddPoint(v[0], 1.0 - v[1], v[2], v[3])
    return out
