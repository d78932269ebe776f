"""gradientopacity.vtkAutoGradientOpacity and the 2D helpers from Python."""
import unittest

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonDataModel import vtkImageData, vtkPiecewiseFunction

import gradientopacity
from gradientopacity import (vtkAutoGradientOpacity, vtkGradientHistogram2D,
                             vtkKindlmannDurkin, vtkTransferFunction2DBuilder)


def phantom(dtype=np.float32, n=40, sigma=4.0, spacing=(1.0, 1.0, 2.0)):
    z, y, x = np.mgrid[0:n, 0:n, 0:n].astype(float)
    f = np.full((n, n, n), 100.0)
    f[(x - n / 2) ** 2 + (y - n / 2) ** 2 + ((z - n / 2) * spacing[2]) ** 2 < (0.3 * n) ** 2] = 200.0
    f += np.random.default_rng(5).normal(0.0, sigma, f.shape)
    f = np.clip(np.round(f), 0, 255).astype(dtype)
    image = vtkImageData()
    image.SetDimensions(n, n, n)
    image.SetSpacing(*spacing)
    array = numpy_support.numpy_to_vtk(f.ravel(), deep=1)
    array.SetName("f")
    image.GetPointData().SetScalars(array)
    return image


class AutoGradientOpacityTest(unittest.TestCase):
    def run_auto(self, image, **options):
        a = vtkAutoGradientOpacity()
        a.SetInputData(image)
        for key, value in options.items():
            getattr(a, "Set" + key)(value)
        a.Update()
        return a

    def test_thresholds_and_outputs(self):
        a = self.run_auto(phantom())
        self.assertGreater(a.GetLowThreshold(), 0.0)
        self.assertGreaterEqual(a.GetHighThreshold(), 1.5 * a.GetLowThreshold() - 1e-9)
        self.assertLessEqual(a.GetHighThreshold(), a.GetGradientScale())
        lo, hi = a.GetScalarRange()
        self.assertAlmostEqual(a.GetGradientScale(), 0.25 * (hi - lo))
        f = a.GetGradientOpacityFunction()
        self.assertIs(f, a.GetOutputDataObject(0))
        self.assertEqual(f.GetValue(0.0), 0.0)
        self.assertEqual(f.GetValue(a.GetGradientScale()), 1.0)
        table = a.GetStatisticsTable()
        for name in ("BinCenterMapper", "BinCenterPhysical", "Count", "SmoothedCount"):
            self.assertIsNotNone(table.GetColumnByName(name), name)
        fd = table.GetFieldData()
        self.assertEqual(fd.GetArray("LowThreshold").GetValue(0), a.GetLowThreshold())
        self.assertEqual(fd.GetArray("HighThreshold").GetValue(0), a.GetHighThreshold())
        counts = numpy_support.vtk_to_numpy(table.GetColumnByName("Count"))
        self.assertGreater(counts.sum(), 0)

    def test_uint8_and_float_agree(self):
        a = self.run_auto(phantom(np.uint8))
        b = self.run_auto(phantom(np.float32))
        self.assertEqual(a.GetLowThreshold(), b.GetLowThreshold())
        self.assertEqual(a.GetHighThreshold(), b.GetHighThreshold())

    def test_sampling_modes(self):
        grid = self.run_auto(phantom(), Sampling=vtkAutoGradientOpacity.GRID)
        sub = self.run_auto(phantom(), Sampling=vtkAutoGradientOpacity.SUBVOXEL)
        # Rays see interpolated (smoother) noise than voxels.
        self.assertLess(sub.GetNoiseFloor(), grid.GetNoiseFloor())
        self.assertEqual(vtkAutoGradientOpacity().GetSampling(), vtkAutoGradientOpacity.SUBVOXEL)

    def test_2d_helpers(self):
        image = phantom()
        a = self.run_auto(image)
        h = vtkGradientHistogram2D()
        h.SetInputData(image)
        h.SetNumberOfBins(64, 32)
        h.Update()
        counts = numpy_support.vtk_to_numpy(h.GetOutput().GetPointData().GetScalars())
        self.assertEqual(counts.shape, (64 * 32,))
        self.assertGreater(counts.sum(), 0)
        self.assertAlmostEqual(h.GetYAxisRange()[1], a.GetGradientScale())

        so = vtkPiecewiseFunction()
        so.AddPoint(0, 0.0)
        so.AddPoint(255, 0.5)
        b = vtkTransferFunction2DBuilder()
        b.UseShaderGradient(image.GetPointData().GetScalars())
        b.SetScalarOpacity(so)
        b.SetGradientOpacity(a.GetGradientOpacityFunction())
        b.SetSize(64, 32)
        tf = vtkImageData()
        b.Build(tf)
        rgba = numpy_support.vtk_to_numpy(tf.GetPointData().GetScalars()).reshape(32, 64, 4)
        self.assertEqual(rgba.dtype, np.float32)
        # Rows below the low threshold are transparent, the top row is not.
        low_row = int(a.GetLowThreshold() / a.GetGradientScale() * 32) - 1
        if low_row >= 0:
            self.assertEqual(rgba[low_row, :, 3].max(), 0.0)
        self.assertGreater(rgba[-1, :, 3].max(), 0.1)

    def test_kindlmann_durkin(self):
        try:
            from scipy.ndimage import gaussian_filter
        except ImportError:
            self.skipTest("scipy not available")
        # A 100|200 sphere blurred by one voxel (KD needs intermediate values).
        image = phantom(sigma=0.0)
        f = numpy_support.vtk_to_numpy(image.GetPointData().GetScalars()).reshape(40, 40, 40)
        f = gaussian_filter(f.astype(np.float64), 1.0) + \
            np.random.default_rng(2).normal(0.0, 1.0, f.shape)
        array = numpy_support.numpy_to_vtk(f.astype(np.float32).ravel(), deep=1)
        image.GetPointData().SetScalars(array)
        kd = vtkKindlmannDurkin()
        kd.SetInputData(image)
        self.assertEqual(kd.Update(), 1)
        self.assertGreater(kd.GetBoundarySigma(), 0.0)
        table = kd.GetTable()
        values = numpy_support.vtk_to_numpy(table.GetColumnByName("Value"))
        opacity = numpy_support.vtk_to_numpy(table.GetColumnByName("Opacity"))
        # A sharp 100|200 step: the emphasis lies between the two materials.
        self.assertGreater(opacity.max(), 0.0)
        self.assertTrue(110.0 < values[opacity.argmax()] < 190.0, values[opacity.argmax()])
        self.assertEqual(kd.GetTransferFunction2D().GetPointData().GetScalars()
                         .GetNumberOfComponents(), 4)


if __name__ == "__main__":
    unittest.main()
