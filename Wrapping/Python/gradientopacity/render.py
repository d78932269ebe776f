"""Offscreen volume renders of the gradient-opacity tool, through the route
of the renderer the curve is for (Renderer): the same camera and scalar
transfer functions for a flat gradient opacity (1 everywhere), the
automatic one, and what it removes (gradient opacity 1 - curve).

VTK's X11 render window aborts the whole process when there is no X server,
so display_problem() checks first, with Xlib through ctypes (XOpenDisplay
returns NULL instead of aborting).
"""
import ctypes
import ctypes.util
import os

RENDER_SIZE = (512, 512)


def display_problem():
    """None when an X display can be opened, else the reason (a sentence)."""
    disp = os.environ.get("DISPLAY", "")
    if not disp:
        return "no X display (DISPLAY is not set)"
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        xlib = ctypes.CDLL(name)
    except OSError:
        return "libX11 cannot be loaded"
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    d = xlib.XOpenDisplay(disp.encode())
    if not d:
        return "cannot open X display %r" % disp
    xlib.XCloseDisplay(d)
    return None


# Camera directions in world coordinates, LPS (the frame of DICOM, ITK and
# VTK's medical readers: x to the patient's left, y posterior, z superior).
VIEWS = {
    "anterior": ((0, -1, 0), (0, 0, 1)),
    "posterior": ((0, 1, 0), (0, 0, 1)),
    "left": ((1, 0, 0), (0, 0, 1)),
    "right": ((-1, 0, 0), (0, 0, 1)),
    "superior": ((0, 0, 1), (0, -1, 0)),
    "inferior": ((0, 0, -1), (0, -1, 0)),
}
ROUTES = ("native-gpu", "slicer-gpu", "native-cpu", "slicer-cpu")


def route_for_profile(profile):
    """The render route of a renderer profile (see Renderer)."""
    return {"vtk-gpu": "native-gpu", "paraview": "native-gpu", "slicer-gpu": "slicer-gpu",
            "vtk-cpu": "native-cpu", "slicer-cpu": "slicer-cpu"}[profile]


def _camera(renderer, bounds, view, frame="LPS"):
    """Camera on the side `view` (VIEWS) of the world bounds, looking at the
    centre, slightly from above, the volume filling the frame. frame "RAS"
    (NIfTI's world, as vtkNIFTIImageReader's image axes are) negates x and
    y."""
    b = bounds
    c = [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2]
    side, up = VIEWS[view]
    if frame == "RAS":
        side = (-side[0], -side[1], side[2])
        up = (-up[0], -up[1], up[2])
    cam = renderer.GetActiveCamera()
    cam.SetFocalPoint(*c)
    cam.SetPosition(c[0] + side[0], c[1] + side[1], c[2] + side[2])
    cam.SetViewUp(*up)
    cam.Elevation(10)
    cam.OrthogonalizeViewUp()
    renderer.ResetCamera(b)
    cam.Zoom(1.3)


def ijk_to_world(image):
    """4x4 IJK-to-world matrix of an image: direction x spacing, origin."""
    from vtkmodules.vtkCommonMath import vtkMatrix4x4
    m = vtkMatrix4x4()
    d = image.GetDirectionMatrix()
    h, o = image.GetSpacing(), image.GetOrigin()
    for i in range(3):
        for j in range(3):
            m.SetElement(i, j, d.GetElement(i, j) * h[j])
        m.SetElement(i, 3, o[i])
    return m


class Renderer:
    """One offscreen window reused for every render (same camera).

    route: how the mapper is fed, as in the renderer the curve is for:
      native-gpu  vtkGPUVolumeRayCastMapper, the image as it is (VTK, ParaView)
      slicer-gpu  3D Slicer's GPU route: the voxel array with spacing 1,
                  origin 0, identity direction; the IJK-to-world matrix on
                  the volume actor (vtkMRMLVolumeRenderingDisplayableManager)
      native-cpu  vtkFixedPointVolumeRayCastMapper, the image as it is
      slicer-cpu  3D Slicer's CPU route: the voxel array through
                  vtkImageChangeInformation with SpacingScale = spacing into
                  the fixed-point mapper; direction and origin on the actor
    unit_distance: the scalar-opacity unit distance, in the mapper's data
    coordinates (world units, or voxels in the slicer-gpu route).
    """

    def __init__(self, image, scalar_opacity, color, size=RENDER_SIZE, route="native-gpu",
                 unit_distance=None, view="anterior", frame="LPS"):
        import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 (factory overrides)
        import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401
        import vtkmodules.vtkRenderingFreeType  # noqa: F401
        from vtkmodules.vtkCommonDataModel import vtkImageData
        from vtkmodules.vtkCommonMath import vtkMatrix4x4
        from vtkmodules.vtkImagingCore import vtkImageChangeInformation
        from vtkmodules.vtkRenderingCore import (vtkRenderWindow, vtkRenderer,
                                                 vtkVolume, vtkVolumeProperty, vtkTextActor)
        from vtkmodules.vtkRenderingVolume import vtkFixedPointVolumeRayCastMapper
        from vtkmodules.vtkRenderingVolumeOpenGL2 import vtkOpenGLGPUVolumeRayCastMapper

        if route not in ROUTES:
            raise ValueError("unknown render route %r" % route)
        if view not in VIEWS:
            raise ValueError("unknown view %r" % view)
        self.image = image
        self.route = route
        spacing = image.GetSpacing()
        hbar = sum(spacing) / 3.0
        self.volume = vtkVolume()
        if route.endswith("gpu"):
            self.mapper = vtkOpenGLGPUVolumeRayCastMapper()
        else:
            self.mapper = vtkFixedPointVolumeRayCastMapper()
        self.mapper.SetBlendModeToComposite()
        self.mapper.SetAutoAdjustSampleDistances(False)
        self._keep = []
        if route.startswith("native"):
            self.mapper.SetInputData(image)
            self.mapper.SetSampleDistance(0.5 * min(spacing))
            self.unit_distance = hbar if unit_distance is None else unit_distance
        else:
            voxels = vtkImageData()
            voxels.SetExtent(image.GetExtent())
            voxels.GetPointData().SetScalars(image.GetPointData().GetScalars())
            m = ijk_to_world(image)
            if route == "slicer-gpu":
                self.mapper.SetInputData(voxels)
                # Data coordinates are voxels here: half a voxel per sample.
                self.mapper.SetSampleDistance(0.5)
                self.unit_distance = 1.0 if unit_distance is None else unit_distance
            else:
                change = vtkImageChangeInformation()
                change.SetInputData(voxels)
                change.SetSpacingScale(*spacing)
                self.mapper.SetInputConnection(change.GetOutputPort())
                self.mapper.SetSampleDistance(0.5 * min(spacing))
                self._keep.append(change)
                unscaled = vtkMatrix4x4()
                unscaled.DeepCopy(m)
                for i in range(3):
                    for j in range(3):
                        unscaled.SetElement(i, j, m.GetElement(i, j) / spacing[j])
                m = unscaled
                self.unit_distance = hbar if unit_distance is None else unit_distance
            self.volume.SetUserMatrix(m)
        self.prop = vtkVolumeProperty()
        self.prop.SetScalarOpacity(scalar_opacity)
        self.prop.SetColor(color)
        self.prop.SetScalarOpacityUnitDistance(self.unit_distance)
        self.prop.SetInterpolationTypeToLinear()
        # The fixed-point mapper shades a non-constant gradient opacity through
        # another helper than a constant one, and that path renders darker
        # (measured on the MR head: flat 28.0, curve 24.0, 1 - curve 24.3):
        # its previews are unshaded so that the three panels compare.
        self.shaded = route.endswith("gpu")
        self.prop.SetShade(1 if self.shaded else 0)
        self.prop.SetAmbient(0.15)
        self.prop.SetDiffuse(0.85)
        self.prop.SetSpecular(0.2)
        self.prop.SetSpecularPower(10.0)
        self.volume.SetMapper(self.mapper)
        self.volume.SetProperty(self.prop)
        self.renderer = vtkRenderer()
        self.renderer.SetBackground(0.08, 0.08, 0.12)
        self.renderer.AddVolume(self.volume)
        self.label = vtkTextActor()
        self.label.GetTextProperty().SetFontSize(20)
        self.label.GetTextProperty().SetColor(1, 1, 1)
        self.label.SetPosition(10, 10)
        self.renderer.AddActor2D(self.label)
        self.window = vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetSize(*size)
        self.window.AddRenderer(self.renderer)
        _camera(self.renderer, self.volume.GetBounds(), view, frame)

    def render(self, gradient_opacity, label):
        """Render with this gradient-opacity function; returns an RGB numpy
        array (rows top to bottom)."""
        from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter
        from vtkmodules.util.numpy_support import vtk_to_numpy

        if gradient_opacity is None:
            self.prop.SetDisableGradientOpacity(True)
        else:
            self.prop.SetGradientOpacity(gradient_opacity)
            self.prop.SetDisableGradientOpacity(False)
        self.label.SetInput(label)
        self.window.Render()
        grab = vtkWindowToImageFilter()
        grab.SetInput(self.window)
        grab.SetInputBufferTypeToRGB()
        grab.ReadFrontBufferOff()
        grab.Update()
        out = grab.GetOutput()
        w, h, _ = out.GetDimensions()
        rgb = vtk_to_numpy(out.GetPointData().GetScalars()).reshape(h, w, 3)
        return rgb[::-1].copy()

    def close(self):
        self.window.Finalize()


def write_png(path, rgb):
    """Write an RGB numpy array (rows top to bottom) with vtkPNGWriter."""
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.vtkIOImage import vtkPNGWriter
    from vtkmodules.util.numpy_support import numpy_to_vtk

    h, w, _ = rgb.shape
    img = vtkImageData()
    img.SetDimensions(w, h, 1)
    arr = numpy_to_vtk(rgb[::-1].reshape(-1, 3).copy(), deep=True)
    arr.SetName("rgb")
    img.GetPointData().SetScalars(arr)
    writer = vtkPNGWriter()
    writer.SetFileName(path)
    writer.SetInputData(img)
    writer.Write()
    if writer.GetErrorCode():
        raise OSError("could not write %s" % path)
