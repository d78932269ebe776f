"""The default input of the gradient-opacity tool: a CT-like head, neck and
upper-torso phantom generated deterministically with numpy.

Values are Hounsfield-like units (int16): air -1000, lung -850, fat -90,
soft tissue 45, brain 35, CSF 8, eye 12, lens 70, vertebrae 700, skull 1100.
Every tissue boundary is soft (a tanh profile of width BOUNDARY_MM over an
approximate signed distance), and white Gaussian noise of NOISE_HU is added,
so the volume has what the automatic gradient opacity is about: a noise floor
inside homogeneous tissue and a spread of edge strengths at boundaries.

Axes: x = patient right -> left, y = anterior -> posterior, z = inferior ->
superior (LPS-like), origin at the volume centre, identity direction.
"""
import numpy as np

DIMENSIONS = (112, 112, 100)      # x, y, z voxels
SPACING = (2.0, 2.0, 2.5)         # mm: anisotropic, like a thick-slice CT
NOISE_HU = 15.0
BOUNDARY_MM = 1.5
SEED = 20240611
ARRAY_NAME = "CT_HU"


def _membership(d):
    """Soft inside-ness from a signed distance d (mm, negative inside)."""
    return 0.5 * (1.0 - np.tanh(d / BOUNDARY_MM))


def _ellipsoid(X, Y, Z, c, a):
    """Approximate signed distance (mm) to an ellipsoid, exact on its axes."""
    px, py, pz = X - c[0], Y - c[1], Z - c[2]
    r = np.sqrt((px / a[0]) ** 2 + (py / a[1]) ** 2 + (pz / a[2]) ** 2)
    norm = np.sqrt(px * px + py * py + pz * pz)
    r = np.maximum(r, 1e-6)
    return (r - 1.0) * np.where(norm > 1e-6, norm / r, min(a))


def _zcylinder(X, Y, Z, c, a, z0, z1):
    """Elliptic cylinder along z between z0 and z1 (approximate distance)."""
    px, py = X - c[0], Y - c[1]
    r = np.sqrt((px / a[0]) ** 2 + (py / a[1]) ** 2)
    norm = np.sqrt(px * px + py * py)
    r = np.maximum(r, 1e-6)
    d_rad = (r - 1.0) * np.where(norm > 1e-6, norm / r, min(a))
    d_z = np.maximum(z0 - Z, Z - z1)
    return np.maximum(d_rad, d_z)


FIELD_OF_VIEW = tuple(n * s for n, s in zip(DIMENSIONS, SPACING))  # mm


def spacing_for(dimensions):
    """Spacing (mm) of a grid of `dimensions` covering the phantom's field of view."""
    return tuple(f / n for f, n in zip(FIELD_OF_VIEW, dimensions))


def phantom_array(dimensions=DIMENSIONS, noise=NOISE_HU, seed=SEED):
    """The phantom as an int16 numpy array of shape (nz, ny, nx) (x fastest).
    Any grid size samples the same anatomy (spacing_for(dimensions))."""
    nx, ny, nz = dimensions
    sx, sy, sz = spacing_for(dimensions)
    x = (np.arange(nx, dtype=np.float32) - (nx - 1) / 2.0) * sx
    y = (np.arange(ny, dtype=np.float32) - (ny - 1) / 2.0) * sy
    z = (np.arange(nz, dtype=np.float32) - (nz - 1) / 2.0) * sz
    Z, Y, X = np.meshgrid(z, y, x, indexing="ij")

    vol = np.full(Z.shape, -1000.0, dtype=np.float32)

    def paint(d, value):
        m = _membership(d).astype(np.float32)
        vol[...] = vol * (1.0 - m) + np.float32(value) * m

    head = _ellipsoid(X, Y, Z, (0, 0, 30), (70, 86, 84))
    neck = _zcylinder(X, Y, Z, (0, 12, 0), (44, 44), -130, 0)
    torso = _zcylinder(X, Y, Z, (0, 5, 0), (106, 68), -130, -70)
    body = np.minimum(np.minimum(head, neck), torso)
    paint(body, -90.0)                      # skin and subcutaneous fat
    paint(body + 6.0, 45.0)                 # muscle / soft tissue, 6 mm inside
    for sx_ in (-48.0, 48.0):               # lungs
        paint(_ellipsoid(X, Y, Z, (sx_, 8, -122), (36, 42, 42)), -850.0)
    paint(_zcylinder(X, Y, Z, (0, 36, 0), (13, 13), -130, -12), 700.0)   # vertebral column
    paint(_zcylinder(X, Y, Z, (0, 38, 0), (5, 5), -130, -12), 8.0)       # spinal canal
    paint(_zcylinder(X, Y, Z, (0, -12, 0), (8, 7), -130, -25), -950.0)   # trachea
    paint(_ellipsoid(X, Y, Z, (0, 8, 36), (63, 76, 76)), 1100.0)         # skull
    paint(_ellipsoid(X, Y, Z, (0, 8, 38), (57, 70, 70)), 35.0)           # brain
    for sx_ in (-9.0, 9.0):                                              # lateral ventricles
        paint(_ellipsoid(X, Y, Z, (sx_, 12, 48), (6, 22, 10)), 8.0)
    for sx_ in (-30.0, 30.0):                                            # eyes and lenses
        paint(_ellipsoid(X, Y, Z, (sx_, -66, 24), (12, 12, 12)), 12.0)
        paint(_ellipsoid(X, Y, Z, (sx_, -77, 24), (4, 2, 4)), 70.0)
    paint(_ellipsoid(X, Y, Z, (0, -58, 2), (20, 12, 12)), -900.0)       # maxillary sinus

    if noise > 0:
        rng = np.random.default_rng(seed)
        vol += rng.normal(0.0, noise, size=vol.shape).astype(np.float32)
    return np.clip(np.rint(vol), -1024, 3071).astype(np.int16)


def make_phantom(dimensions=DIMENSIONS, noise=NOISE_HU, seed=SEED):
    """The phantom as a vtkImageData with int16 point scalars "CT_HU"."""
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.util.vtkConstants import VTK_SHORT

    arr = phantom_array(dimensions, noise, seed)
    spacing = spacing_for(dimensions)
    nx, ny, nz = dimensions
    image = vtkImageData()
    image.SetDimensions(nx, ny, nz)
    image.SetSpacing(*spacing)
    image.SetOrigin(*[-(n - 1) / 2.0 * s for n, s in zip(dimensions, spacing)])
    scalars = numpy_to_vtk(arr.ravel(), deep=True, array_type=VTK_SHORT)
    scalars.SetName(ARRAY_NAME)
    image.GetPointData().SetScalars(scalars)
    return image


DESCRIPTION = (
    "built-in CT-like phantom (head, neck, upper torso; %dx%dx%d voxels of %gx%gx%g mm, "
    "int16 HU, noise sigma %g HU, seed %d)"
    % (DIMENSIONS + SPACING + (NOISE_HU, SEED)))
