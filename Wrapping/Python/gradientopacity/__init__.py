"""GradientOpacity: promoted image gradient magnitude and automatic
gradient-opacity transfer functions for VTK volume rendering.

    from gradientopacity import vtkGradientMagnitudeFilter
"""
# The wrapped classes need VTK's own Python modules for their base classes.
import vtkmodules.vtkCommonCore  # noqa: F401
import vtkmodules.vtkCommonDataModel  # noqa: F401
import vtkmodules.vtkCommonExecutionModel  # noqa: F401
import vtkmodules.vtkRenderingCore  # noqa: F401

from .GradientOpacity import *  # noqa: F401,F403

__version__ = "0.1.0"
