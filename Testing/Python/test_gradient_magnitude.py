"""vtkGradientMagnitudeFilter from Python on numpy arrays, against numpy
and scipy.ndimage in the same run."""
import unittest

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonDataModel import vtkImageData

from gradientopacity import vtkGradientMagnitudeFilter

try:
    from scipy import ndimage
except ImportError:  # python3-scipy is installed by scripts/bootstrap.sh
    ndimage = None


def to_vtk(volume, spacing=(1.0, 1.0, 1.0)):
    """A (z, y, x) numpy array as vtkImageData (x fastest, as VTK stores it)."""
    image = vtkImageData()
    nz, ny, nx = volume.shape
    image.SetDimensions(nx, ny, nz)
    image.SetSpacing(*spacing)
    array = numpy_support.numpy_to_vtk(np.ascontiguousarray(volume).ravel(), deep=True)
    array.SetName("f")
    image.GetPointData().SetScalars(array)
    return image


def run(image, **options):
    f = vtkGradientMagnitudeFilter()
    f.SetInputData(image)
    for name, value in options.items():
        getattr(f, "Set" + name)(value)
    f.Update()
    out = f.GetOutput()
    nx, ny, nz = out.GetDimensions()
    scalars = out.GetPointData().GetScalars()
    return scalars.GetName(), numpy_support.vtk_to_numpy(scalars).reshape(nz, ny, nx)


class GradientMagnitudeTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(1)
        self.volume = rng.integers(0, 256, size=(20, 24, 28)).astype(np.uint8)

    def test_uint8_gives_float32_without_wrapping(self):
        name, g = run(to_vtk(self.volume, (0.5, 0.75, 1.25)))
        self.assertEqual(name, "f_GradientMagnitude")
        self.assertEqual(g.dtype, np.float32)
        self.assertGreater(g.max(), 255.0)
        # numpy.gradient uses central differences inside: compare there.
        gz, gy, gx = np.gradient(self.volume.astype(np.float64), 1.25, 0.75, 0.5)
        expected = np.sqrt(gx**2 + gy**2 + gz**2)
        np.testing.assert_allclose(g[1:-1, 1:-1, 1:-1], expected[1:-1, 1:-1, 1:-1], rtol=1e-5)

    def test_onesided_edges_match_numpy_gradient_everywhere(self):
        vol = self.volume.astype(np.float64)
        _, g = run(to_vtk(vol, (0.5, 0.75, 1.25)), EdgeMode=vtkGradientMagnitudeFilter.ONE_SIDED)
        gz, gy, gx = np.gradient(vol, 1.25, 0.75, 0.5)
        np.testing.assert_allclose(g, np.sqrt(gx**2 + gy**2 + gz**2), rtol=1e-12)

    @unittest.skipIf(ndimage is None, "scipy not available")
    def test_sobel_scipy_scale_matches_scipy(self):
        vol = self.volume.astype(np.float64)
        _, g = run(to_vtk(vol), Operator=vtkGradientMagnitudeFilter.SOBEL, SobelScaleToScipy=True)
        expected = np.sqrt(sum(ndimage.sobel(vol, axis=a, mode="nearest") ** 2 for a in range(3)))
        np.testing.assert_allclose(g, expected, rtol=1e-12, atol=1e-9)

    @unittest.skipIf(ndimage is None, "scipy not available")
    def test_gaussian_matches_scipy_up_to_derivative_normalisation(self):
        vol = self.volume.astype(np.float64)
        sigma = 1.5
        _, g = run(to_vtk(vol), Operator=vtkGradientMagnitudeFilter.GAUSSIAN, Sigma=sigma)
        # scipy's derivative weights are k*phi(k)/(sigma^2 sum phi); ours are
        # normalised so that sum k w(k) = 1: they differ by a known factor.
        r = int(4.0 * sigma + 0.5)
        k = np.arange(-r, r + 1, dtype=np.float64)
        phi = np.exp(-0.5 * k**2 / sigma**2)
        factor = (k**2 * phi).sum() / (sigma**2 * phi.sum())
        expected = ndimage.gaussian_gradient_magnitude(vol, sigma, mode="nearest") / factor
        np.testing.assert_allclose(g, expected, rtol=1e-9, atol=1e-9)

    def test_mapper_units_and_double_promotion(self):
        vol = self.volume.astype(np.int32)
        spacing = (0.5, 1.0, 3.0)
        _, physical = run(to_vtk(vol, spacing))
        _, mapper = run(to_vtk(vol, spacing), Units=vtkGradientMagnitudeFilter.MAPPER)
        self.assertEqual(physical.dtype, np.float64)
        np.testing.assert_allclose(mapper, physical * 1.5, rtol=1e-12)


if __name__ == "__main__":
    unittest.main()
