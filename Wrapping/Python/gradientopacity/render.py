"""Offscreen volume renders of the gradient-opacity tool:
vtkGPUVolumeRayCastMapper, the same camera and scalar transfer functions for
a flat gradient opacity (1 everywhere) and the automatic one.

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


def _camera(renderer, image):
    """Anterior view (camera on -y, z up), slightly from above and the left."""
    b = image.GetBounds()
    c = [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2]
    cam = renderer.GetActiveCamera()
    cam.SetFocalPoint(*c)
    cam.SetPosition(c[0], c[1] - 1.0, c[2])
    cam.SetViewUp(0, 0, 1)
    cam.Azimuth(-30)
    cam.Elevation(15)
    cam.OrthogonalizeViewUp()
    renderer.ResetCamera(b)
    cam.Zoom(1.25)


class Renderer:
    """One offscreen window reused for both renders (same camera)."""

    def __init__(self, image, scalar_opacity, color, size=RENDER_SIZE):
        import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 (factory overrides)
        import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401
        import vtkmodules.vtkRenderingFreeType  # noqa: F401
        from vtkmodules.vtkRenderingCore import (vtkRenderWindow, vtkRenderer,
                                                 vtkVolume, vtkVolumeProperty, vtkTextActor)
        from vtkmodules.vtkRenderingVolumeOpenGL2 import vtkOpenGLGPUVolumeRayCastMapper

        self.image = image
        spacing = image.GetSpacing()
        hbar = sum(spacing) / 3.0
        self.mapper = vtkOpenGLGPUVolumeRayCastMapper()
        self.mapper.SetInputData(image)
        self.mapper.SetBlendModeToComposite()
        self.mapper.SetAutoAdjustSampleDistances(False)
        self.mapper.SetSampleDistance(0.5 * min(spacing))
        self.prop = vtkVolumeProperty()
        self.prop.SetScalarOpacity(scalar_opacity)
        self.prop.SetColor(color)
        self.prop.SetScalarOpacityUnitDistance(hbar)
        self.prop.SetInterpolationTypeToLinear()
        self.prop.ShadeOn()
        self.prop.SetAmbient(0.15)
        self.prop.SetDiffuse(0.85)
        self.prop.SetSpecular(0.2)
        self.prop.SetSpecularPower(10.0)
        self.volume = vtkVolume()
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
        _camera(self.renderer, image)

    def render(self, gradient_opacity, label):
        """Render with this gradient-opacity function; returns an RGB numpy
        array (rows top to bottom)."""
        from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter
        from vtkmodules.util.numpy_support import vtk_to_numpy

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
