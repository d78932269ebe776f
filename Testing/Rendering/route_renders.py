"""Renders through the routes by which renderers feed VTK's volume mappers,
for the renderer-profile tests (and the figures in docs/renderers.md).

Routes (the image geometry is spacing h, origin o, identity direction):
  native-gpu  vtkGPUVolumeRayCastMapper fed the image as it is (VTK, ParaView)
  slicer-gpu  3D Slicer's GPU route: the mapper gets the voxel array with
              spacing 1, origin 0, and the volume actor's user matrix holds
              the IJK-to-world matrix (spacing included)
  native-cpu  vtkFixedPointVolumeRayCastMapper fed the image as it is
  slicer-cpu  3D Slicer's CPU route: the spacing-1 voxel array through
              vtkImageChangeInformation with SpacingScale = h into the
              fixed-point mapper; the user matrix keeps only the rotation
              and translation (here a translation)
The camera is parallel, looking along +y (anterior view) with z up, framing
the world bounds, so pixel (u, v) sees the column x = u, z = v of the volume.
"""
import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonDataModel import vtkImageData, vtkPiecewiseFunction
from vtkmodules.vtkCommonMath import vtkMatrix4x4
from vtkmodules.vtkImagingCore import vtkImageChangeInformation
from vtkmodules.vtkRenderingCore import (vtkColorTransferFunction, vtkRenderWindow,
                                         vtkRenderer, vtkVolume, vtkVolumeProperty,
                                         vtkWindowToImageFilter)
from vtkmodules.vtkRenderingVolume import (vtkFixedPointVolumeRayCastMapper,
                                           vtkGPUVolumeRayCastMapper)
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 (factory overrides)
import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401

ROUTES = ("native-gpu", "slicer-gpu", "native-cpu", "slicer-cpu")

# Regions of the stripes phantom, as fractions of the x extent: pure noise,
# stripes across x (boundaries normal to x), stripes across z (normal to z).
REGIONS = {"noise": (0.0, 1.0 / 3.0), "x_boundaries": (1.0 / 3.0, 2.0 / 3.0),
           "z_boundaries": (2.0 / 3.0, 1.0)}


def gaussian_blur_mm(f, spacing, sigma_mm):
    """Separable Gaussian blur, sigma in mm on every axis (a scanner PSF)."""
    from scipy import ndimage
    # f is (z, y, x); spacing is (x, y, z).
    sig = [sigma_mm / spacing[2], sigma_mm / spacing[1], sigma_mm / spacing[0]]
    return ndimage.gaussian_filter(f, sig, mode="nearest")


def stripes_phantom(dims=(84, 84, 30), spacing=(0.7, 0.7, 2.5), origin=(-20.0, 35.0, -40.0),
                    background=40.0, contrast=200.0, stripe_mm=8.0, psf_mm=1.0, sigma=15.0,
                    air=-1000.0, bone=1500.0, seed=11):
    """CT-like int16 phantom (HU-like values, noise sigma in HU): three regions
    side by side in x (REGIONS), each filling y and z: homogeneous noise;
    stripes of `stripe_mm` alternating background / background + contrast
    across x; the same stripes across z. Blurred by a Gaussian PSF of psf_mm,
    then white Gaussian noise of std sigma."""
    nx, ny, nz = dims
    x = (np.arange(nx) * spacing[0])[None, None, :]
    z = (np.arange(nz) * spacing[2])[:, None, None]
    u = (np.arange(nx) / (nx - 1.0))[None, None, :]
    f = np.full((nz, ny, nx), background)
    xs = (np.floor(x / stripe_mm) % 2 == 1) & (u >= REGIONS["x_boundaries"][0]) & \
        (u < REGIONS["x_boundaries"][1])
    zs = (np.floor(z / stripe_mm) % 2 == 1) & (u >= REGIONS["z_boundaries"][0])
    f = f + contrast * (np.broadcast_to(xs, f.shape) | np.broadcast_to(zs, f.shape))
    f = gaussian_blur_mm(f, spacing, psf_mm)
    f = f + np.random.default_rng(seed).normal(0.0, sigma, f.shape)
    # CT's range (air to dense bone) sets gmax = 0.25 R: two corner voxels
    # (outside every region's measured interior) hold it.
    f[0, 0, 0] = air
    f[-1, -1, -1] = bone
    f = np.round(f).astype(np.int16)
    image = vtkImageData()
    image.SetDimensions(nx, ny, nz)
    image.SetSpacing(*spacing)
    image.SetOrigin(*origin)
    arr = numpy_support.numpy_to_vtk(f.ravel(), deep=1, array_type=4)  # VTK_SHORT
    arr.SetName("HU")
    image.GetPointData().SetScalars(arr)
    return image


def ijk_to_world(image):
    """The IJK-to-world matrix of an image (spacing, origin, identity direction)."""
    m = vtkMatrix4x4()
    h, o = image.GetSpacing(), image.GetOrigin()
    for a in range(3):
        m.SetElement(a, a, h[a])
        m.SetElement(a, 3, o[a])
    return m


def voxel_array(image):
    """The image as Slicer hands it to its mappers: the same voxels with
    spacing 1, origin 0 (no copy of the array)."""
    v = vtkImageData()
    v.SetExtent(image.GetExtent())
    v.SetSpacing(1.0, 1.0, 1.0)
    v.SetOrigin(0.0, 0.0, 0.0)
    v.GetPointData().SetScalars(image.GetPointData().GetScalars())
    return v


def volume_property(scalar_range, opacity_per_mm=0.02, unit_distance=1.0):
    """Constant scalar opacity over the range (every voxel can be seen), white,
    no shading (the measurement is the accumulated opacity)."""
    lo, hi = scalar_range
    so = vtkPiecewiseFunction()
    so.AddPoint(lo, opacity_per_mm)
    so.AddPoint(hi, opacity_per_mm)
    col = vtkColorTransferFunction()
    col.AddRGBPoint(lo, 1.0, 1.0, 1.0)
    col.AddRGBPoint(hi, 1.0, 1.0, 1.0)
    prop = vtkVolumeProperty()
    prop.SetScalarOpacity(so)
    prop.SetColor(col)
    prop.SetScalarOpacityUnitDistance(unit_distance)
    prop.SetInterpolationTypeToLinear()
    prop.ShadeOff()
    return prop


_WINDOW = []


def _window():
    """One offscreen window for every render of the process: a new X
    connection per window can fail on a busy shared X server."""
    if not _WINDOW:
        win = vtkRenderWindow()
        win.SetOffScreenRendering(1)
        win.SetMultiSamples(0)
        ren = vtkRenderer()
        ren.SetBackground(0, 0, 0)
        win.AddRenderer(ren)
        _WINDOW.append((win, ren))
    return _WINDOW[0]


def render_route(image, route, gradient_opacity, height=150, sample_mm=0.25, threads=1,
                 scalar_opacity=None, unit_distance=1.0):
    """Render `image` through `route` with `gradient_opacity` (None: gradient
    opacity off = flat 1); returns the grey frame (rows bottom to top) in
    [0, 1]."""
    if route not in ROUTES:
        raise ValueError("unknown route %r" % route)
    prop = volume_property(image.GetPointData().GetScalars().GetRange(),
                           unit_distance=unit_distance)
    if scalar_opacity is not None:
        prop.SetScalarOpacity(scalar_opacity)
    if gradient_opacity is None:
        prop.SetDisableGradientOpacity(True)
    else:
        g = vtkPiecewiseFunction()
        g.DeepCopy(gradient_opacity)
        prop.SetGradientOpacity(g)
        prop.SetDisableGradientOpacity(False)
    volume = vtkVolume()
    volume.SetProperty(prop)
    gpu = route.endswith("gpu")
    if gpu:
        mapper = vtkGPUVolumeRayCastMapper()
        mapper.SetUseJittering(0)
    else:
        mapper = vtkFixedPointVolumeRayCastMapper()
        mapper.SetImageSampleDistance(1.0)
        # Its gradient pass treats thread slab ends in z as image edges:
        # one thread keeps the edge rule the profile models.
        mapper.SetNumberOfThreads(threads)
    mapper.SetAutoAdjustSampleDistances(0)
    # The GPU mapper marches in its data coordinates: voxels in Slicer's route.
    mapper.SetSampleDistance(sample_mm / image.GetSpacing()[1] if route == "slicer-gpu"
                             else sample_mm)
    keep = []
    if route.startswith("native"):
        mapper.SetInputData(image)
    elif gpu:
        mapper.SetInputData(voxel_array(image))
        volume.SetUserMatrix(ijk_to_world(image))
    else:
        change = vtkImageChangeInformation()
        change.SetInputData(voxel_array(image))
        change.SetSpacingScale(*image.GetSpacing())
        mapper.SetInputConnection(change.GetOutputPort())
        m = vtkMatrix4x4()
        for a in range(3):
            m.SetElement(a, 3, image.GetOrigin()[a])
        volume.SetUserMatrix(m)
        keep.append(change)
        # The fixed-point mapper's sample distance is in the volume's
        # coordinates, which are world units here as in the native route.
    volume.SetMapper(mapper)

    b = volume.GetBounds()
    width = max(int(round(height * (b[1] - b[0]) / (b[5] - b[4]))), 8)
    win, ren = _window()
    win.SetSize(width, height)
    ren.RemoveAllViewProps()
    ren.AddVolume(volume)
    cam = ren.GetActiveCamera()
    cam.ParallelProjectionOn()
    c = [0.5 * (b[0] + b[1]), 0.5 * (b[2] + b[3]), 0.5 * (b[4] + b[5])]
    cam.SetFocalPoint(*c)
    cam.SetPosition(c[0], c[1] - 4.0 * (b[3] - b[2] + b[5] - b[4]), c[2])
    cam.SetViewUp(0, 0, 1)
    cam.SetParallelScale(0.5 * (b[5] - b[4]))
    ren.ResetCameraClippingRange()
    win.Render()
    grab = vtkWindowToImageFilter()
    grab.SetInput(win)
    grab.SetInputBufferTypeToRGB()
    grab.ReadFrontBufferOff()
    grab.Update()
    out = grab.GetOutput()
    w, h, _ = out.GetDimensions()
    rgb = numpy_support.vtk_to_numpy(out.GetPointData().GetScalars()).reshape(h, w, 3)
    ren.RemoveAllViewProps()
    mapper.ReleaseGraphicsResources(win)
    return rgb[..., 0].astype(float) / 255.0


def region_means(frame, margin=0.08):
    """Mean grey of each region (REGIONS order) over its interior columns
    and the middle rows (margins excluded: region borders and volume faces)."""
    h, w = frame.shape
    rows = frame[int(margin * h):int((1 - margin) * h)]
    out = {}
    for name, (u0, u1) in REGIONS.items():
        a = int(round((u0 + margin / 2) * w))
        b = int(round((u1 - margin / 2) * w))
        out[name] = float(rows[:, a:b].mean())
    return out
