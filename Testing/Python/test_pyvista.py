"""The automatic gradient opacity on a PyVista volume (Plotter.add_volume),
rendered off screen: the curve is computed from the array PyVista's mapper
renders and changes the render. Registered only where python3-pyvista is
installed (Debian 13 trixie and later)."""
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import pyvista as pv

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "Examples", "Python", "pyvista_gradient_opacity.py")
sys.path.insert(0, os.path.dirname(EXAMPLE))
from pyvista_gradient_opacity import apply_auto_gradient_opacity  # noqa: E402

from gradientopacity.phantom import make_phantom  # noqa: E402


def function_points(f):
    out = []
    for i in range(f.GetSize()):
        node = [0.0] * 4
        f.GetNodeValue(i, node)
        out.append((node[0], node[1]))
    return out


class PyVistaVolume(unittest.TestCase):
    def test_curve_from_the_rendered_array_changes_the_render(self):
        grid = pv.wrap(make_phantom((64, 64, 56)))
        plotter = pv.Plotter(off_screen=True, window_size=(256, 256))
        volume = plotter.add_volume(grid, cmap="bone", opacity="sigmoid", show_scalar_bar=False)
        plotter.camera_position = "yz"
        flat = np.asarray(plotter.screenshot(return_img=True), dtype=float)

        auto = apply_auto_gradient_opacity(volume)
        # The statistics are those of the array the mapper renders.
        mapper = volume.GetMapper()
        data = mapper.GetInput()
        array = data.GetPointData().GetArray(mapper.GetArrayName()) \
            if mapper.GetArrayName() else data.GetPointData().GetScalars()
        lo, hi = array.GetRange()
        self.assertAlmostEqual(auto.GetGradientScale(), 0.25 * (hi - lo), delta=1e-9 * (hi - lo))
        self.assertGreater(auto.GetLowThreshold(), 0.0)
        self.assertLess(auto.GetLowThreshold(), auto.GetHighThreshold())
        # The volume's property carries the curve.
        got = function_points(volume.GetProperty().GetGradientOpacity())
        want = function_points(auto.GetGradientOpacityFunction())
        self.assertEqual(len(got), len(want))
        np.testing.assert_allclose(got, want, rtol=1e-12)
        self.assertEqual(got[0][1], 0.0)

        plotter.render()
        shown = np.asarray(plotter.screenshot(return_img=True), dtype=float)
        plotter.close()
        self.assertGreater(shown.std(), 5.0, "the automatic render looks blank")
        diff = np.abs(shown - flat).mean()
        print("mean intensity flat %.1f, automatic %.1f, mean |difference| %.2f"
              % (flat.mean(), shown.mean(), diff))
        self.assertGreater(diff, 1.0, "the curve did not change the render")

    def test_example_runs(self):
        with tempfile.TemporaryDirectory() as tmp:
            png = os.path.join(tmp, "phantom.png")
            p = subprocess.run([sys.executable, EXAMPLE, "--output", png],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("gradient opacity, mapper units", p.stdout)
            self.assertTrue(os.path.getsize(png) > 1000)


if __name__ == "__main__":
    unittest.main()
