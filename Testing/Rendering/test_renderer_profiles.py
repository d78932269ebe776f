"""Renderer profiles of vtkAutoGradientOpacity, proved against renders
through each renderer's real route (route_renders.py): VTK's GPU mapper fed
the image as it is, 3D Slicer's GPU route (voxel array with spacing 1 + the
IJK-to-world matrix on the actor), VTK's fixed-point mapper and Slicer's CPU
route (SpacingScale restores the spacing). The phantom is CT-like with
0.7 x 0.7 x 2.5 mm voxels: regions of pure noise, of boundaries normal to x
and of boundaries normal to z (route_renders.stripes_phantom).

Visibility of a region = its mean grey with the curve / with gradient
opacity off, on the same route."""
import os
import unittest

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonMath import vtkMatrix3x3

from gradientopacity import vtkAutoGradientOpacity, vtkGradientMagnitudeFilter

import route_renders as rr

PROFILES = {"vtk-gpu": vtkAutoGradientOpacity.VTK_GPU, "vtk-cpu": vtkAutoGradientOpacity.VTK_CPU,
            "slicer-gpu": vtkAutoGradientOpacity.SLICER_GPU,
            "slicer-cpu": vtkAutoGradientOpacity.SLICER_CPU,
            "paraview": vtkAutoGradientOpacity.PARAVIEW}


def auto(image, profile, **options):
    a = vtkAutoGradientOpacity()
    a.SetInputData(image)
    a.SetRenderer(PROFILES[profile])
    for k, v in options.items():
        getattr(a, "Set" + k)(v)
    a.Update()
    return a


def curve_points(a):
    f = a.GetGradientOpacityFunction()
    out = []
    for i in range(f.GetSize()):
        v = [0.0] * 4
        f.GetNodeValue(i, v)
        out.append((v[0], v[1]))
    return out


class ProfileArithmetic(unittest.TestCase):
    """What each profile samples, against the geometry it stands for."""

    def setUp(self):
        self.image = rr.stripes_phantom(contrast=150.0)

    def test_names(self):
        for name, value in PROFILES.items():
            self.assertEqual(vtkAutoGradientOpacity.GetRendererName(value), name)
        a = vtkAutoGradientOpacity()
        self.assertEqual(a.GetRenderer(), vtkAutoGradientOpacity.VTK_GPU)  # default
        a.SetRenderer(99)
        self.assertEqual(a.GetRenderer(), vtkAutoGradientOpacity.PARAVIEW)  # clamped

    def test_slicer_gpu_is_vtk_gpu_of_the_voxel_array(self):
        # Slicer's GPU mapper sees the voxel array with spacing 1: the
        # slicer-gpu curve of the image is the vtk-gpu curve of that array.
        s = auto(self.image, "slicer-gpu")
        v = auto(rr.voxel_array(self.image), "vtk-gpu")
        self.assertEqual(curve_points(s), curve_points(v))
        self.assertEqual(s.GetLowThreshold(), v.GetLowThreshold())
        # ... and differs from the vtk-gpu curve of the image (anisotropic):
        # mapper-unit noise s sqrt(sum (hbar/h_i)^2) >= index-unit noise s sqrt 3.
        n = auto(self.image, "vtk-gpu")
        self.assertGreater(n.GetNoiseFloor(), 1.3 * s.GetNoiseFloor())
        fd = s.GetStatisticsTable().GetFieldData()
        self.assertEqual(fd.GetArray("Renderer").GetValue(0), vtkAutoGradientOpacity.SLICER_GPU)

    def test_slicer_gpu_gaussian_uses_index_units(self):
        s = auto(self.image, "slicer-gpu", Operator=2, Sampling=0)
        v = auto(self.image, "vtk-gpu", Operator=2, Sampling=0)
        self.assertNotEqual(s.GetLowThreshold(), v.GetLowThreshold())
        self.assertGreater(s.GetLowThreshold(), 0.0)

    def test_paraview_is_vtk_gpu(self):
        self.assertEqual(curve_points(auto(self.image, "paraview")),
                         curve_points(auto(self.image, "vtk-gpu")))

    def test_fixed_point_profiles(self):
        c = auto(self.image, "vtk-cpu")
        s = auto(self.image, "slicer-cpu")
        self.assertEqual(curve_points(c), curve_points(s))
        gmax = c.GetGradientScale()
        # Grid gradients quantised to 8 bits: every binned sample sits on a
        # level k gmax / 255 (bin centres with counts lie within a bin of one).
        t = c.GetStatisticsTable()
        x = numpy_support.vtk_to_numpy(t.GetColumnByName("BinCenterMapper"))
        n = numpy_support.vtk_to_numpy(t.GetColumnByName("Count"))
        levels = x[n > 0] * 255.0 / gmax
        half_bin = 0.5 * np.log(1e5) / len(x)
        self.assertTrue(np.all(np.abs(np.log(levels / np.round(levels))) <= 1.01 * half_bin))
        # The fixed-point profile ignores Sampling (its route is the grid).
        self.assertEqual(curve_points(auto(self.image, "vtk-cpu", Sampling=1)), curve_points(c))
        # Grid noise is larger than what GPU rays see between voxels.
        self.assertGreater(c.GetNoiseFloor(), auto(self.image, "vtk-gpu").GetNoiseFloor())

    def test_index_units_of_the_filter(self):
        def magnitude(image, units):
            f = vtkGradientMagnitudeFilter()
            f.SetInputData(image)
            f.SetUnits(units)
            f.Update()
            return numpy_support.vtk_to_numpy(f.GetOutput().GetPointData().GetScalars())

        # Every operator: INDEX = |(h_i dF/dx_i)_i| of the per-world gradient vector.
        for op in (0, 1, 2):
            f = vtkGradientMagnitudeFilter()
            f.SetInputData(self.image)
            f.SetOperator(op)
            f.SetComputeGradientVector(True)
            f.SetOutputScalarTypeToDouble()
            f.Update()
            out = f.GetOutput().GetPointData()
            vec = numpy_support.vtk_to_numpy(out.GetArray("HU_Gradient"))
            want = np.sqrt(((vec * np.array(self.image.GetSpacing())) ** 2).sum(axis=1))
            f.SetUnits(vtkGradientMagnitudeFilter.INDEX)
            f.Update()
            got = numpy_support.vtk_to_numpy(f.GetOutput().GetPointData().GetScalars())
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg="op %d" % op)
        idx = magnitude(self.image, vtkGradientMagnitudeFilter.INDEX)
        ref = magnitude(rr.voxel_array(self.image), vtkGradientMagnitudeFilter.MAPPER)
        np.testing.assert_allclose(idx, ref, rtol=1e-6, atol=1e-4)
        # A direction matrix moves the image, not the voxel steps.
        rotated = rr.stripes_phantom(contrast=150.0)
        m = vtkMatrix3x3()
        for i, row in enumerate(((0, -1, 0), (1, 0, 0), (0, 0, 1))):
            for j, v in enumerate(row):
                m.SetElement(i, j, v)
        rotated.SetDirectionMatrix(m)
        np.testing.assert_allclose(magnitude(rotated, vtkGradientMagnitudeFilter.INDEX), idx,
                                   rtol=1e-6, atol=1e-4)


@unittest.skipUnless(os.environ.get("DISPLAY"), "no X display (run under xvfb-run)")
class ProfileRenders(unittest.TestCase):
    """The curves against renders through the renderers' own routes."""

    @staticmethod
    def visibility(image, route, curve):
        flat = rr.region_means(rr.render_route(image, route, None))
        with_curve = rr.region_means(rr.render_route(image, route, curve))
        return {k: with_curve[k] / flat[k] for k in flat}

    def test_gpu_routes(self):
        image = rr.stripes_phantom(contrast=150.0, sigma=15.0)
        vtk_gpu = auto(image, "vtk-gpu").GetGradientOpacityFunction()
        slicer_gpu = auto(image, "slicer-gpu").GetGradientOpacityFunction()
        native = self.visibility(image, "native-gpu", vtk_gpu)
        slicer = self.visibility(image, "slicer-gpu", slicer_gpu)
        wrong = self.visibility(image, "slicer-gpu", vtk_gpu)
        print("\nGPU visibility (noise, x boundaries, z boundaries)")
        for name, v in (("vtk-gpu curve, VTK's route", native),
                        ("slicer-gpu curve, Slicer's route", slicer),
                        ("vtk-gpu curve, Slicer's route", wrong)):
            print("  %-34s %.3f %.3f %.3f" % (name, v["noise"], v["x_boundaries"],
                                              v["z_boundaries"]))
        # The reference: VTK's own route hides the noise, shows boundaries.
        self.assertLess(native["noise"], 0.03)
        self.assertGreater(native["x_boundaries"], 0.15)
        self.assertGreater(native["z_boundaries"], 0.10)
        # The slicer-gpu curve does the same in Slicer's route.
        self.assertLess(slicer["noise"], 0.03)
        self.assertGreater(slicer["x_boundaries"], 0.15)
        self.assertGreater(slicer["z_boundaries"], 0.10)
        # The vtk-gpu curve in Slicer's route thresholds too high (index-unit
        # noise is lower): the boundaries across the fine axes fade.
        self.assertLess(wrong["x_boundaries"], 0.6 * slicer["x_boundaries"])

    def test_fixed_point_routes(self):
        image = rr.stripes_phantom(contrast=300.0, sigma=15.0)
        vtk_cpu = auto(image, "vtk-cpu").GetGradientOpacityFunction()
        slicer_cpu = auto(image, "slicer-cpu").GetGradientOpacityFunction()
        slicer_gpu = auto(image, "slicer-gpu").GetGradientOpacityFunction()
        native_frame = rr.render_route(image, "native-cpu", vtk_cpu)
        slicer_frame = rr.render_route(image, "slicer-cpu", slicer_cpu)
        # Slicer's CPU route restores the spacing: the same render as VTK's.
        self.assertLess(np.abs(native_frame - slicer_frame).max(), 2.5 / 255)
        native = self.visibility(image, "native-cpu", vtk_cpu)
        slicer = self.visibility(image, "slicer-cpu", slicer_cpu)
        wrong = self.visibility(image, "slicer-cpu", slicer_gpu)
        print("\nfixed-point visibility (noise, x boundaries, z boundaries)")
        for name, v in (("vtk-cpu curve, VTK's route", native),
                        ("slicer-cpu curve, Slicer's CPU route", slicer),
                        ("slicer-gpu curve, Slicer's CPU route", wrong)):
            print("  %-38s %.3f %.3f %.3f" % (name, v["noise"], v["x_boundaries"],
                                              v["z_boundaries"]))
        for v in (native, slicer):
            self.assertLess(v["noise"], 0.03)
            self.assertGreater(v["x_boundaries"], 0.2)
            self.assertGreater(v["z_boundaries"], 0.2)
        # A GPU profile's curve in the fixed-point route: grid gradients of
        # noise are larger than sub-voxel ones, so the noise shows.
        self.assertGreater(wrong["noise"], 0.1)


HEADSQ = os.path.join(os.environ.get("GO_SHARED_DATA_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data"), "headsq")


@unittest.skipUnless(os.environ.get("DISPLAY"), "no X display (run under xvfb-run)")
@unittest.skipUnless(os.path.isfile(os.path.join(HEADSQ, "quarter.1")), "no ../shared/data/headsq")
class HeadsqRenders(unittest.TestCase):
    """VTK's headsq CT (3.2 x 3.2 x 1.5 mm): the slicer-gpu curve in Slicer's
    GPU route renders as the vtk-gpu curve does in VTK's route. The view is
    along y and the unit distances are one voxel step along it in both
    routes (3.2 mm natively, 1 voxel in Slicer's), so the flat renders of
    the two routes are the same image."""

    def test_headsq(self):
        from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
        from vtkmodules.vtkIOImage import vtkVolume16Reader
        r = vtkVolume16Reader()
        r.SetFilePrefix(os.path.join(HEADSQ, "quarter"))
        r.SetImageRange(1, 93)
        r.SetDataDimensions(64, 64)
        r.SetDataSpacing(3.2, 3.2, 1.5)
        r.SetDataByteOrderToLittleEndian()
        r.SetDataMask(0x7fff)
        r.Update()
        image = r.GetOutput()
        so = vtkPiecewiseFunction()
        for x, y in ((0, 0), (500, 0), (1000, 0.05), (3926, 0.1)):
            so.AddPoint(x, y)

        def curve(profile):
            return auto(image, profile, ScalarOpacity=so).GetGradientOpacityFunction()

        def frame(route, go):
            return rr.render_route(image, route, go, scalar_opacity=so, sample_mm=0.5,
                                   unit_distance=3.2 if route == "native-gpu" else 1.0)

        flat_native, flat_slicer = frame("native-gpu", None), frame("slicer-gpu", None)
        self.assertLess(np.abs(flat_native - flat_slicer).mean(), 0.002)
        ref = frame("native-gpu", curve("vtk-gpu"))
        got = frame("slicer-gpu", curve("slicer-gpu"))
        print("\nheadsq mean grey: flat %.4f, vtk-gpu curve in VTK's route %.4f, slicer-gpu "
              "curve in Slicer's route %.4f; mean |difference| %.4f"
              % (flat_native.mean(), ref.mean(), got.mean(), np.abs(got - ref).mean()))
        # The curve removes a visible part of the flat render in both routes ...
        self.assertLess(ref.mean(), 0.97 * flat_native.mean())
        # ... and the same part: Slicer's route with its curve matches.
        self.assertLess(abs(got.mean() - ref.mean()), 0.03 * ref.mean())
        self.assertLess(np.abs(got - ref).mean(), 0.02)


if __name__ == "__main__":
    unittest.main()
