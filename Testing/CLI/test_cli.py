"""End-to-end tests of the gradient-opacity command-line tool.

Environment (set by Testing/CLI/CMakeLists.txt): GO_CLI = the launcher in the
build tree, PYTHONPATH = the build tree's package, GO_DATA_DIR = the
repository's Data/ folder (headsq, the MR head), GO_SHARED_DATA_DIR = the
optional large volumes. Renders are checked when an X display is available
(ctest under `xvfb-run -a`), otherwise exit code 4 is expected.
"""
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import volume_writers as vw  # noqa: E402

CLI = os.environ.get("GO_CLI") or shutil.which("gradient-opacity")
DATA = os.environ.get("GO_DATA_DIR") or os.path.join(HERE, "..", "..", "Data")
SHARED = os.environ.get("GO_SHARED_DATA_DIR") or os.path.join(HERE, "..", "..", "..", "shared", "data")


def have_display():
    from gradientopacity.render import display_problem
    return display_problem() is None


def run_cli(*args, env=None, stderr_tty=False, timeout=240):
    """(returncode, stdout, stderr) of the launcher."""
    e = dict(os.environ)
    if env:
        for k, v in env.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
    if stderr_tty:
        import pty
        master, slave = pty.openpty()
        p = subprocess.Popen([CLI] + list(args), stdout=subprocess.PIPE, stderr=slave, env=e)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        out, _ = p.communicate(timeout=timeout)
        os.close(master)
        return p.returncode, out.decode(), b"".join(chunks).decode("utf-8", "replace")
    p = subprocess.run([CLI] + list(args), capture_output=True, env=e, timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


# ---------------------------------------------------------------------------
# JSON schema (hand-written: no jsonschema package on the platform)
NUM = (int, float)
BOTH = {"renderer": NUM, "mapper": NUM, "per_world_unit": NUM}
SCHEMA = {
    "tool": str, "version": str, "schema_version": int, "vtk_version": str,
    "renderer": {"profile": str, "units": str, "route": str},
    "input": {"source": str, "format": str, "dimensions": list, "spacing": list,
              "origin": list, "direction": list, "scalar_type": str, "scalar_range": list},
    "gradient": {"method": str, "edge": str, "volume_units": str},
    "units": {"mapper": str, "per_world_unit": str, "mean_spacing": NUM,
              "gradient_scale_gmax": NUM},
    "statistics": {"noise_floor": BOTH, "low_threshold": BOTH, "high_threshold": BOTH,
                   "edge_strength": BOTH, "median_gradient": BOTH, "scalar_range": list,
                   "table_field_data": dict},
    "formula_inputs": {"noise_multiplier_k": NUM, "minimum_opacity": NUM, "sampling": str,
                       "number_of_bins": int, "gradient_scale_gmax": NUM, "formulas": dict},
    "control_points": list, "scalar_opacity": list, "color": list,
    "render": {"status": str}, "outputs": dict, "timings_s": dict,
}


def check_schema(tc, doc, schema=SCHEMA, where="$"):
    for key, spec in schema.items():
        tc.assertIn(key, doc, "%s.%s missing" % (where, key))
        val = doc[key]
        if isinstance(spec, dict):
            tc.assertIsInstance(val, dict, "%s.%s" % (where, key))
            check_schema(tc, val, spec, where + "." + key)
        else:
            tc.assertIsInstance(val, spec, "%s.%s has type %s" % (where, key, type(val).__name__))
            if spec is NUM or spec == NUM:
                tc.assertTrue(np.isfinite(val), "%s.%s not finite" % (where, key))


def check_curve(tc, doc):
    st = doc["statistics"]
    gmax = doc["units"]["gradient_scale_gmax"]
    hbar = doc["units"]["mean_spacing"]
    low, high = st["low_threshold"]["mapper"], st["high_threshold"]["mapper"]
    tc.assertGreater(st["noise_floor"]["mapper"], 0)
    tc.assertGreater(low, 0)
    tc.assertLess(low, high)
    tc.assertLessEqual(high, gmax * (1 + 1e-9))
    tc.assertAlmostEqual(st["low_threshold"]["per_world_unit"], low / hbar, delta=1e-9 * low)
    pts = doc["control_points"]
    tc.assertGreaterEqual(len(pts), 4)
    xs = [p["x_mapper"] for p in pts]
    ys = [p["opacity"] for p in pts]
    tc.assertEqual(xs, sorted(xs))
    tc.assertTrue(all(0 <= y <= 1 for y in ys))
    tc.assertEqual(ys, sorted(ys), "the automatic curve is monotonic")
    tc.assertAlmostEqual(ys[-1], 1.0)
    for p in pts:
        tc.assertAlmostEqual(p["x_per_world_unit"], p["x_mapper"] / hbar,
                             delta=1e-9 * max(1.0, p["x_mapper"]))


def check_slicer_files(tc, out, doc):
    """gradient_opacity.vp.json against Slicer's schema rules, the legacy
    .vp against Slicer's reader limits, both against the JSON document."""
    from gradientopacity.slicer_vp import parse_vp, check_vp_json, MAX_LINE
    sl = doc["slicer"]
    with open(os.path.join(out, "gradient_opacity.vp.json")) as f:
        vpj = json.load(f)
    check_vp_json(vpj)
    tc.assertIn("volume-property-schema-v1.0.0.json", vpj["@schema"])
    comp = vpj["volumeProperties"][0]["components"][0]
    tc.assertEqual(comp["scalarOpacityUnitDistance"], sl["scalar_opacity_unit_distance"])
    tc.assertEqual([[p["x"], p["y"]] for p in comp["gradientOpacity"]["points"]],
                   [[float("%.15g" % x), float("%.15g" % y)] for x, y in sl["gradient_opacity"]])
    so = [[p["x"], p["y"]] for p in comp["scalarOpacity"]["points"]]
    np.testing.assert_allclose(so, doc["scalar_opacity"], rtol=1e-14, atol=1e-14)
    with open(os.path.join(out, "gradient_opacity.vp"), newline="") as f:
        text = f.read()
    lines = text.split("\n")
    tc.assertEqual(len(lines), 10)   # 9 lines + final newline
    tc.assertTrue(all(len(l) <= MAX_LINE for l in lines))
    for tok in " ".join(lines[6:9]).split():
        tc.assertLessEqual(len(tok.lstrip("-").replace(".", "").split("e")[0].lstrip("0")), 15)
        tc.assertTrue(np.isfinite(float(tok)), tok)
    vp = parse_vp(text)
    tc.assertEqual(vp["interpolation"], 1)
    tc.assertEqual(vp["shade"], 1)
    for key in ("gradient_opacity", "scalar_opacity", "color"):
        xs = [p[0] for p in vp[key]]
        tc.assertTrue(all(b > a for a, b in zip(xs, xs[1:])), key)
    tc.assertEqual(len(vp["gradient_opacity"]), len(sl["gradient_opacity"]))
    for (x, y), (vx, vy) in zip(sl["gradient_opacity"], vp["gradient_opacity"]):
        tc.assertAlmostEqual(vx, x, delta=1e-13 * max(1, abs(x)))
        tc.assertAlmostEqual(vy, y, delta=1e-14)
    # The .vp's scalar opacity renders with unit distance 1 as the .vp.json's
    # with its unit distance u: 1 - (1 - y_vp) = (1 - y)^(1/u).
    u = sl["scalar_opacity_unit_distance"]
    tc.assertEqual(len(vp["scalar_opacity"]), len(doc["scalar_opacity"]))
    for (x, y), (vx, vy) in zip(doc["scalar_opacity"], vp["scalar_opacity"]):
        tc.assertAlmostEqual(vx, x, delta=1e-13 * max(1, abs(x)))
        tc.assertAlmostEqual(1.0 - vy, (1.0 - y) ** (1.0 / u), delta=1e-13)
    for a, b in zip(vp["color"], doc["color"]):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-13)


def png_array(path):
    from vtkmodules.vtkIOImage import vtkPNGReader
    from vtkmodules.util.numpy_support import vtk_to_numpy
    r = vtkPNGReader()
    r.SetFileName(path)
    r.Update()
    img = r.GetOutput()
    w, h, _ = img.GetDimensions()
    a = vtk_to_numpy(img.GetPointData().GetScalars())
    return a.reshape(h, w, -1)


def check_png(tc, path, size, min_std=5.0):
    tc.assertTrue(os.path.isfile(path), path)
    a = png_array(path)
    tc.assertEqual((a.shape[1], a.shape[0]), tuple(size), path)
    tc.assertGreater(float(a[..., :3].std()), min_std, "%s looks blank" % path)


def read_vti(path):
    from vtkmodules.vtkIOXML import vtkXMLImageDataReader
    r = vtkXMLImageDataReader()
    r.SetFileName(path)
    r.Update()
    return r.GetOutput()


# ---------------------------------------------------------------------------
class EndToEndPhantom(unittest.TestCase):
    """The main job: default phantom, every output, renders when possible."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="go-cli-")
        cls.out = os.path.join(cls.tmp, "out")
        cls.rc, cls.stdout, cls.stderr = run_cli("--out", cls.out)
        cls.display = have_display()
        with open(os.path.join(cls.out, "gradient_opacity.json")) as f:
            cls.doc = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_exit_code_and_summary(self):
        self.assertEqual(self.rc, 0 if self.display else 4, self.stderr)
        self.assertIn("low threshold", self.stdout)
        self.assertIn("phantom", self.stdout)
        # stderr is not a terminal here: one line per step, no bar.
        for step in ("reading input: done", "gradient magnitude: done",
                     "gradient statistics: done", "writing outputs: done"):
            self.assertIn(step, self.stderr)
        self.assertNotIn("\r", self.stderr)

    def test_json(self):
        check_schema(self, self.doc)
        check_curve(self, self.doc)
        self.assertEqual(self.doc["input"]["format"], "phantom")
        self.assertEqual(self.doc["input"]["dimensions"], [112, 112, 100])
        self.assertEqual(self.doc["input"]["scalar_type"], "short")
        self.assertEqual(self.doc["gradient"]["method"], "central")
        gmax = self.doc["units"]["gradient_scale_gmax"]
        lo, hi = self.doc["input"]["scalar_range"]
        self.assertAlmostEqual(gmax, 0.25 * (hi - lo), places=6)
        self.assertAlmostEqual(self.doc["units"]["mean_spacing"], (2 + 2 + 2.5) / 3, places=9)

    def test_gradient_volume(self):
        g = read_vti(os.path.join(self.out, "gradient_magnitude.vti"))
        self.assertEqual(g.GetDimensions(), (112, 112, 100))
        self.assertEqual(g.GetScalarTypeAsString(), "float")
        self.assertEqual(g.GetSpacing(), (2.0, 2.0, 2.5))
        lo, hi = g.GetScalarRange()
        self.assertGreaterEqual(lo, 0)
        self.assertGreater(hi, 100)   # HU/mm at the skull: far above uint8/int16 wrap issues

    def test_slicer_vp(self):
        check_slicer_files(self, self.out, self.doc)
        # The default profile is vtk-gpu; the Slicer files carry the curve
        # for Slicer's GPU route, in its units (lower: index-unit noise).
        self.assertEqual(self.doc["renderer"]["profile"], "vtk-gpu")
        self.assertEqual(self.doc["slicer"]["profile"], "slicer-gpu")
        self.assertLess(self.doc["slicer"]["low_threshold"],
                        self.doc["statistics"]["low_threshold"]["renderer"])

    def test_histogram_png(self):
        check_png(self, os.path.join(self.out, "histogram.png"), (1200, 700))

    def test_renders(self):
        if not self.display:
            self.assertEqual(self.doc["render"]["status"], "unavailable")
            self.skipTest("no X display: run ctest under xvfb-run -a")
        self.assertEqual(self.doc["render"]["status"], "ok")
        check_png(self, os.path.join(self.out, "render_flat.png"), (512, 512))
        check_png(self, os.path.join(self.out, "render_auto.png"), (512, 512))
        check_png(self, os.path.join(self.out, "render_removed.png"), (512, 512))
        check_png(self, os.path.join(self.out, "render_side_by_side.png"), (1544, 512))
        flat = png_array(os.path.join(self.out, "render_flat.png")).astype(float)
        auto = png_array(os.path.join(self.out, "render_auto.png")).astype(float)
        # Same camera, different gradient opacity: the images differ.
        self.assertGreater(np.abs(flat - auto).mean(), 1.0)

    def test_no_temporary_files_left(self):
        left = [f for f in os.listdir(self.out) if f.startswith(".") or f.endswith(".tmp")]
        self.assertEqual(left, [])


class Formats(unittest.TestCase):
    """One volume written in every input format, read back by the tool."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="go-fmt-")
        cls.paths, cls.arr = vw.write_all(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_reader_round_trip(self):
        """Voxel values and geometry survive each format."""
        from gradientopacity.readers import read_volume
        from vtkmodules.util.numpy_support import vtk_to_numpy
        for name, path in self.paths.items():
            with self.subTest(format=name):
                img, _ = read_volume(path)
                self.assertEqual(img.GetDimensions(), vw.DIMS)
                np.testing.assert_allclose(img.GetSpacing(), vw.SPACING, rtol=1e-6)
                a = vtk_to_numpy(img.GetPointData().GetScalars()).reshape(self.arr.shape)
                np.testing.assert_array_equal(a, self.arr)

    def test_cli_every_format(self):
        docs = {}
        for name, path in self.paths.items():
            with self.subTest(format=name):
                rc, out, err = run_cli(path, "--json-only", "--quiet")
                self.assertEqual(rc, 0, err)
                doc = json.loads(out)
                check_curve(self, doc)
                self.assertEqual(doc["input"]["dimensions"], list(vw.DIMS))
                self.assertEqual(doc["input"]["scalar_range"], [2.0, 151.0])
                docs[name] = doc
        ref = docs["vti"]["statistics"]
        for name, doc in docs.items():
            with self.subTest(format=name):
                for key in ("noise_floor", "low_threshold", "high_threshold"):
                    a, b = doc["statistics"][key]["mapper"], ref[key]["mapper"]
                    self.assertAlmostEqual(a, b, delta=1e-6 * b, msg="%s %s" % (name, key))

    def test_no_render_writes_files(self):
        out = os.path.join(self.tmp, "out-nii")
        rc, _, err = run_cli(self.paths["nii.gz"], "--no-render", "--out", out, "--quiet")
        self.assertEqual(rc, 0, err)
        self.assertEqual(sorted(os.listdir(out)), sorted([
            "gradient_magnitude.vti", "gradient_opacity.json", "gradient_opacity.vp",
            "gradient_opacity.vp.json", "histogram.png"]))


class RealVolumeCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="go-real-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _run(self, path, *extra):
        rc, out, err = run_cli(path, "--json-only", "--quiet", *extra)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        check_schema(self, dict(doc, outputs={}, render={"status": "x"}))
        check_curve(self, doc)
        st = doc["statistics"]
        print("\n  %s: noise floor %.4g, low %.4g, high %.4g mapper units (gmax %.4g)" % (
            os.path.basename(path), st["noise_floor"]["mapper"], st["low_threshold"]["mapper"],
            st["high_threshold"]["mapper"], doc["units"]["gradient_scale_gmax"]))
        return doc


class RealData(RealVolumeCase):
    """Real volumes carried in the repository's Data/ folder (always run)."""

    def test_headsq_mha(self):
        path = os.path.join(DATA, "headsq-quarter.mha")
        self.assertTrue(os.path.isfile(path), "%s is part of the repository" % path)
        doc = self._run(path)
        self.assertEqual(doc["input"]["dimensions"], [64, 64, 93])
        self.assertEqual(doc["input"]["scalar_range"], [0.0, 3926.0])
        np.testing.assert_allclose(doc["input"]["spacing"], [3.2, 3.2, 1.5])

    def test_mr_head(self):
        path = os.path.join(DATA, "HeadMRVolume.mhd")
        self.assertTrue(os.path.isfile(path), "%s is part of the repository" % path)
        doc = self._run(path)
        self.assertEqual(doc["input"]["dimensions"], [48, 62, 42])
        np.testing.assert_allclose(doc["input"]["spacing"], [4.0, 4.0, 4.0])

    def test_headsq_with_outputs(self):
        # Every output file from the repository's CT, without renders.
        out = os.path.join(self.tmp, "out")
        rc, _, err = run_cli(os.path.join(DATA, "headsq-quarter.mha"), "--no-render", "--quiet",
                             "--out", out)
        self.assertEqual(rc, 0, err)
        g = read_vti(os.path.join(out, "gradient_magnitude.vti"))
        self.assertEqual(g.GetDimensions(), (64, 64, 93))
        self.assertEqual(g.GetScalarTypeAsString(), "float")


class SharedData(RealVolumeCase):
    """Large real volumes from ../shared/data, when present."""

    def setUp(self):
        if not SHARED or not os.path.isdir(SHARED):
            self.skipTest("large volumes not found at %s (optional: embryo.slc, "
                          "avg152T1_RL_nifti.nii.gz, hydrogen.vti)" % SHARED)
        super().setUp()

    def test_embryo_slc_with_outputs(self):
        path = os.path.join(SHARED, "embryo.slc")
        if not os.path.isfile(path):
            self.skipTest("embryo.slc not present")
        out = os.path.join(self.tmp, "out")
        rc, _, err = run_cli(path, "--no-render", "--quiet", "--out", out)
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "gradient_opacity.json")) as f:
            doc = json.load(f)
        check_curve(self, doc)
        g = read_vti(os.path.join(out, "gradient_magnitude.vti"))
        self.assertEqual(g.GetDimensions(), (256, 256, 256))
        self.assertEqual(g.GetScalarTypeAsString(), "float")
        # Promoted float magnitude = numpy's central differences (spacing 1)
        # on an interior block.
        from gradientopacity.readers import read_volume
        from vtkmodules.util.numpy_support import vtk_to_numpy
        src, _ = read_volume(path)
        f = vtk_to_numpy(src.GetPointData().GetScalars()).reshape(256, 256, 256)
        m = vtk_to_numpy(g.GetPointData().GetScalars()).reshape(256, 256, 256)
        blk = f[99:111, 99:111, 99:111].astype(np.float64)
        gz, gy, gx = np.gradient(blk)
        ref = np.sqrt(gx ** 2 + gy ** 2 + gz ** 2)[1:-1, 1:-1, 1:-1]
        np.testing.assert_allclose(m[100:110, 100:110, 100:110], ref, rtol=1e-5, atol=1e-4)

    def test_avg152_nifti(self):
        path = os.path.join(SHARED, "avg152T1_RL_nifti.nii.gz")
        if not os.path.isfile(path):
            self.skipTest("avg152T1 not present")
        doc = self._run(path)
        self.assertEqual(doc["input"]["dimensions"], [91, 109, 91])

    def test_hydrogen(self):
        path = os.path.join(SHARED, "hydrogen.vti")
        if not os.path.isfile(path):
            self.skipTest("hydrogen.vti not present")
        self._run(path)


class BadInputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="go-bad-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def p(self, name):
        return os.path.join(self.tmp, name)

    def expect(self, args, code, *words):
        out = self.p("out-%d" % len(os.listdir(self.tmp)))
        rc, stdout, err = run_cli(*(list(args) + ["--out", out, "--no-render"]))
        self.assertEqual(rc, code, "args %s: stderr %s" % (args, err))
        for w in words:
            self.assertIn(w.lower(), err.lower(), "args %s" % (args,))
        self.assertNotIn("Traceback", err)
        return err

    def test_missing_file(self):
        self.expect([self.p("nope.vti")], 3, "not found")

    def test_empty_file(self):
        open(self.p("empty.mha"), "wb").close()
        self.expect([self.p("empty.mha")], 3, "empty")

    def test_truncated_mha(self):
        vw.write_metaimage(self.p("full.mha"), vw.vtk_image())
        with open(self.p("full.mha"), "rb") as f:
            data = f.read()
        with open(self.p("trunc.mha"), "wb") as f:
            f.write(data[:len(data) // 2])
        self.expect([self.p("trunc.mha")], 3, "truncated")

    def test_text_named_vti(self):
        with open(self.p("text.vti"), "w") as f:
            f.write("this is not a volume\n")
        self.expect([self.p("text.vti")], 3, "content is not")

    def test_png(self):
        from vtkmodules.vtkIOImage import vtkPNGWriter
        img = vw.vtk_image(vw.volume_array()[:1])
        w = vtkPNGWriter()
        w.SetFileName(self.p("slice.png"))
        w.SetInputData(img)
        w.Write()
        self.expect([self.p("slice.png")], 3, "2D", "supported formats")

    def test_single_slice_vti(self):
        vw.write_vti(self.p("slice.vti"), vw.vtk_image(vw.volume_array()[:1]))
        self.expect([self.p("slice.vti")], 3, "2D")

    def test_unknown_format(self):
        with open(self.p("vol.xyz"), "w") as f:
            f.write("1 2 3\n")
        self.expect([self.p("vol.xyz")], 3, "unsupported", "supported formats", ".nrrd")

    def test_4d_nifti(self):
        from vtkmodules.util.numpy_support import numpy_to_vtk
        img = vw.vtk_image()
        arr = vw.volume_array()
        two = numpy_to_vtk(np.stack([arr.ravel(), arr.ravel()], axis=1).copy(), deep=True)
        two.SetName("t")
        img.GetPointData().SetScalars(two)
        from vtkmodules.vtkIOImage import vtkNIFTIImageWriter
        w = vtkNIFTIImageWriter()
        w.SetTimeDimension(2)
        w.SetFileName(self.p("four.nii"))
        w.SetInputData(img)
        w.Write()
        self.expect([self.p("four.nii")], 3, "4D")

    def test_no_scalars(self):
        from vtkmodules.vtkCommonDataModel import vtkImageData
        img = vtkImageData()
        img.SetDimensions(8, 8, 8)
        vw.write_vti(self.p("noscalars.vti"), img)
        self.expect([self.p("noscalars.vti")], 3, "no point scalars")

    def test_empty_folder(self):
        os.makedirs(self.p("emptydir"), exist_ok=True)
        self.expect([self.p("emptydir")], 3, "empty")

    def test_usage_errors(self):
        vti = vw.write_vti(self.p("ok.vti"), vw.vtk_image())
        self.expect([vti, "--method", "bogus"], 2, "invalid choice")
        self.expect([vti, "--threads", "0"], 2, "--threads")
        self.expect([vti, "--sigma", "-1"], 2, "--sigma")
        self.expect([vti, "--method", "sobel", "--sigma", "2"], 2, "gaussian")
        self.expect([vti, vti], 2, "unrecognized")
        self.expect(["--bogus-option"], 2, "unrecognized")

    def test_never_overwrites_input(self):
        out = self.p("outdir")
        os.makedirs(out, exist_ok=True)
        target = os.path.join(out, "gradient_magnitude.vti")
        vw.write_vti(target, vw.vtk_image())
        with open(target, "rb") as f:
            before = f.read()
        rc, _, err = run_cli(target, "--out", out, "--no-render")
        self.assertEqual(rc, 2, err)
        self.assertIn("refusing to overwrite the input", err)
        with open(target, "rb") as f:
            self.assertEqual(f.read(), before)


class AppendedVti(unittest.TestCase):
    """.vti files with appended data, raw (ParaView's default) or base64
    (vtkXMLImageDataWriter's default): read correctly whatever the VTK and libexpat (the CLI falls
    back to an inline copy where the VTK's parser fails), or refused with a
    message, never garbage."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="go-appended-")
        img = vw.vtk_image(vw.volume_array().astype(np.int16) * 7 - 300)
        from vtkmodules.util.numpy_support import numpy_to_vtk
        extra = numpy_to_vtk(np.linspace(-1, 1, img.GetNumberOfPoints()).astype(np.float32),
                             deep=True)
        extra.SetName("extra")
        img.GetPointData().AddArray(extra)
        cls.image = img
        cls.files = {}
        from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
        for compress, header64, encode in itertools.product((False, True), repeat=3):
            path = os.path.join(cls.tmp, "a_%s_%s_%s.vti" % (
                "zlib" if compress else "none", "u64" if header64 else "u32",
                "base64" if encode else "raw"))
            w = vtkXMLImageDataWriter()
            w.SetInputData(img)
            w.SetFileName(path)
            w.SetDataModeToAppended()
            w.SetEncodeAppendedData(encode)
            if not compress:
                w.SetCompressorTypeToNone()
            if header64:
                w.SetHeaderTypeToUInt64()
            if w.Write() != 1:
                raise OSError(path)
            cls.files[(compress, header64, encode)] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def arrays(self, image):
        from vtkmodules.util.numpy_support import vtk_to_numpy
        pd = image.GetPointData()
        return {n: vtk_to_numpy(pd.GetArray(n)).copy() for n in ("values", "extra")}

    def assert_same(self, image):
        self.assertEqual(image.GetDimensions(), self.image.GetDimensions())
        self.assertEqual(image.GetSpacing(), self.image.GetSpacing())
        want = self.arrays(self.image)
        got = self.arrays(image)
        for n in want:
            self.assertEqual(got[n].dtype, want[n].dtype, n)
            np.testing.assert_array_equal(got[n], want[n], n)

    def test_inline_copy_is_bitwise(self):
        from gradientopacity import vti_inline
        from vtkmodules.vtkIOXML import vtkXMLImageDataReader
        for key, path in self.files.items():
            self.assertEqual(vti_inline.appended_encoding(path), "base64" if key[2] else "raw")
            copy = path + ".inline.vti"
            with open(copy, "wb") as f:
                f.write(vti_inline.inline_bytes(path))
            with open(copy, "rb") as f:
                self.assertNotIn(b"AppendedData", f.read())
            r = vtkXMLImageDataReader()
            r.SetFileName(copy)
            r.Update()
            self.assert_same(r.GetOutput())

    def test_fallback_route(self):
        """The route taken where this VTK's parser fails (libexpat with reparse
        deferral and VTK < 9.3), run here whatever the local libexpat."""
        from gradientopacity import readers
        from gradientopacity.vtk_messages import VTKMessages
        msgs = VTKMessages().install()
        for path in self.files.values():
            reader, err = readers._reread_vti_inline(path, None, "simulated failure", msgs)
            self.assertIsNone(err)
            self.assert_same(reader.GetOutput())

    def test_reader_reads_appended(self):
        """read_volume (the CLI's reader) gives the written values."""
        from gradientopacity.readers import read_volume
        from vtkmodules.vtkIOXML import vtkXMLImageDataReader
        from gradientopacity.vtk_messages import VTKMessages, first_error
        for key, path in self.files.items():
            image, fmt = read_volume(path)
            self.assertEqual(fmt, "vti")
            self.assert_same(image)
            # What this VTK's own reader does with the file (reported, and
            # never accepted as silent garbage).
            msgs = VTKMessages().install()
            r = vtkXMLImageDataReader()
            r.SetFileName(path)
            r.Update()
            err = first_error(msgs.drain())
            if err is None:
                self.assert_same(r.GetOutput())
            print("%s: this VTK's reader %s" % (os.path.basename(path),
                                                "reads it" if err is None else "fails: " + err))

    def test_cli_on_appended(self):
        rc, stdout, err = run_cli(self.files[(True, False, False)], "--json-only", "--quiet")
        self.assertEqual(rc, 0, err)
        doc = json.loads(stdout)
        self.assertEqual(doc["input"]["dimensions"], list(self.image.GetDimensions()))
        lo, hi = self.image.GetPointData().GetScalars().GetRange()
        self.assertEqual(doc["input"]["scalar_range"], [lo, hi])

    def test_truncated_appended_is_refused(self):
        for key, path in self.files.items():
            with open(path, "rb") as f:
                data = f.read()
            tag = "_".join(str(int(k)) for k in key)
            cut = os.path.join(self.tmp, "cut_%s.vti" % tag)
            with open(cut, "wb") as f:
                f.write(data[:len(data) * 2 // 3])
            out = os.path.join(self.tmp, "out-cut-%s" % tag)
            rc, _, err = run_cli(cut, "--out", out, "--no-render")
            self.assertEqual(rc, 3, err)
            self.assertIn("could not read", err)
            self.assertNotIn("Traceback", err)


class Options(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="go-opt-")
        cls.vti = vw.write_vti(os.path.join(cls.tmp, "vol.vti"), vw.vtk_image())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_help_and_version(self):
        rc, out, _ = run_cli("--help")
        self.assertEqual(rc, 0)
        for w in ("--method", "--sigma", "--edge", "--threads", "--no-render", "--json-only",
                  "--quiet", "--units", "--out", "xvfb-run", "exit codes"):
            self.assertIn(w, out)
        rc, out, _ = run_cli("--version")
        self.assertEqual(rc, 0)
        from gradientopacity import __version__
        self.assertIn(__version__, out)

    def test_json_only_writes_nothing(self):
        out = os.path.join(self.tmp, "never")
        rc, stdout, err = run_cli(self.vti, "--json-only", "--out", out)
        self.assertEqual(rc, 0, err)
        json.loads(stdout)
        self.assertFalse(os.path.exists(out))

    def test_units_and_methods(self):
        outs = {}
        for units in ("physical", "mapper"):
            out = os.path.join(self.tmp, "u-" + units)
            rc, _, err = run_cli(self.vti, "--units", units, "--no-render", "--quiet",
                                 "--out", out, "--threads", "2")
            self.assertEqual(rc, 0, err)
            from vtkmodules.util.numpy_support import vtk_to_numpy
            outs[units] = vtk_to_numpy(read_vti(os.path.join(out, "gradient_magnitude.vti"))
                                       .GetPointData().GetScalars()).astype(float)
        hbar = sum(vw.SPACING) / 3
        np.testing.assert_allclose(outs["mapper"], outs["physical"] * hbar, rtol=1e-5, atol=1e-4)
        for args, method in ((["--method", "sobel"], "sobel"), (["--sigma", "1.5"], "gaussian"),
                             (["--edge", "onesided"], "central")):
            rc, stdout, err = run_cli(self.vti, "--json-only", "--quiet", *args)
            self.assertEqual(rc, 0, err)
            doc = json.loads(stdout)
            self.assertEqual(doc["gradient"]["method"], method)
            check_curve(self, doc)

    def test_progress_bar_on_tty(self):
        rc, _, err = run_cli(self.vti, "--json-only", stderr_tty=True)
        self.assertEqual(rc, 0, err)
        self.assertIn("\r", err)
        self.assertIn("[", err)
        self.assertIn("100%", err)
        rc, _, err = run_cli(self.vti, "--json-only", "--quiet", stderr_tty=True)
        self.assertEqual(err.strip(), "")

    def test_no_display_exit_4(self):
        out = os.path.join(self.tmp, "nodisplay")
        rc, _, err = run_cli(self.vti, "--out", out, "--quiet", env={"DISPLAY": None})
        self.assertEqual(rc, 4, err)
        self.assertIn("xvfb-run", err)
        self.assertIn("--no-render", err)
        for f in ("gradient_magnitude.vti", "gradient_opacity.json", "gradient_opacity.vp",
                  "histogram.png"):
            self.assertTrue(os.path.isfile(os.path.join(out, f)), f)
        with open(os.path.join(out, "gradient_opacity.json")) as f:
            self.assertEqual(json.load(f)["render"]["status"], "unavailable")

    def test_small_volume_renders(self):
        if not have_display():
            self.skipTest("no X display")
        out = os.path.join(self.tmp, "render")
        rc, _, err = run_cli(self.vti, "--out", out, "--quiet")
        self.assertEqual(rc, 0, err)
        check_png(self, os.path.join(out, "render_side_by_side.png"), (1544, 512), min_std=2.0)


class RendererProfiles(unittest.TestCase):
    """--renderer on a small anisotropic CT-like volume (0.7 x 0.7 x 2.5 mm)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="go_cli_renderer_")
        rng = np.random.default_rng(3)
        nx, ny, nz = 48, 48, 20
        z, y, x = np.meshgrid(np.arange(nz) * 2.5, np.arange(ny) * 0.7, np.arange(nx) * 0.7,
                              indexing="ij")
        v = 40.0 + 200.0 / (1 + np.exp((np.sqrt((x - 17) ** 2 + (y - 17) ** 2
                                                + (z - 25) ** 2) - 10.0) / 0.7))
        v += rng.normal(0, 15.0, v.shape)
        v[0, 0, 0], v[-1, -1, -1] = -1000, 1500
        cls.image = vw.vtk_image(np.rint(v).astype(np.int16), spacing=(0.7, 0.7, 2.5),
                                 origin=(0, 0, 0), name="HU")
        from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
        cls.vti = os.path.join(cls.tmp, "ct.vti")
        w = vtkXMLImageDataWriter()
        w.SetDataModeToBinary()
        vw._vtk_write(w, cls.vti, cls.image)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def json_of(self, *args):
        rc, stdout, err = run_cli(self.vti, "--json-only", "--quiet", *args)
        self.assertEqual(rc, 0, err)
        return json.loads(stdout)

    def reference(self, profile, image):
        from gradientopacity import vtkAutoGradientOpacity
        from gradientopacity import transfer_functions as tf
        a = vtkAutoGradientOpacity()
        a.SetInputData(image)
        a.SetRenderer(["vtk-gpu", "vtk-cpu", "slicer-gpu", "slicer-cpu",
                       "paraview"].index(profile))
        so, _, _ = tf.default_functions(self.image)
        a.SetScalarOpacity(so)
        a.Update()
        return a

    def test_every_profile_in_its_units(self):
        from vtkmodules.vtkCommonDataModel import vtkImageData
        voxels = vtkImageData()
        voxels.SetExtent(self.image.GetExtent())
        voxels.GetPointData().SetScalars(self.image.GetPointData().GetScalars())
        lows = {}
        for profile in ("vtk-gpu", "vtk-cpu", "slicer-gpu", "slicer-cpu", "paraview"):
            doc = self.json_of("--renderer", profile)
            self.assertEqual(doc["renderer"]["profile"], profile)
            low = doc["statistics"]["low_threshold"]
            lows[profile] = low["renderer"]
            # The tool's x is the class's x for that profile; Slicer's GPU
            # profile is VTK's GPU profile of the spacing-1 voxel array.
            ref = self.reference("vtk-gpu", voxels) if profile == "slicer-gpu" \
                else self.reference(profile, self.image)
            self.assertEqual(low["renderer"], ref.GetLowThreshold())
            self.assertEqual([p["x"] for p in doc["control_points"]][:2],
                             [0.0, ref.GetLowThreshold()])
            if profile == "slicer-gpu":
                self.assertIsNone(low["per_world_unit"])
                self.assertIsNone(doc["control_points"][1]["x_mapper"])
            else:
                self.assertEqual(low["mapper"], low["renderer"])
                self.assertAlmostEqual(low["per_world_unit"],
                                       low["renderer"] / doc["units"]["mean_spacing"])
        self.assertEqual(lows["vtk-gpu"], lows["paraview"])
        self.assertEqual(lows["vtk-cpu"], lows["slicer-cpu"])
        self.assertLess(lows["slicer-gpu"], lows["vtk-gpu"])   # index-unit noise is lower

    def test_slicer_cpu_files(self):
        out = os.path.join(self.tmp, "slicer_cpu")
        rc, _, err = run_cli(self.vti, "--renderer", "slicer-cpu", "--no-render", "--quiet",
                             "--out", out)
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "gradient_opacity.json")) as f:
            doc = json.load(f)
        self.assertEqual(doc["slicer"]["profile"], "slicer-cpu")
        # The CPU route works in world units: unit distance = mean spacing.
        self.assertAlmostEqual(doc["slicer"]["scalar_opacity_unit_distance"], (0.7 + 0.7 + 2.5) / 3)
        self.assertEqual(doc["slicer"]["gradient_opacity"],
                         [[p["x"], p["opacity"]] for p in doc["control_points"]])
        check_slicer_files(self, out, doc)

    def test_slicer_gpu_renders_through_slicers_route(self):
        if not have_display():
            self.skipTest("no X display")
        out = os.path.join(self.tmp, "slicer_gpu")
        rc, stdout, err = run_cli(self.vti, "--renderer", "slicer-gpu", "--out", out)
        self.assertEqual(rc, 0, err)
        self.assertIn("slicer-gpu", stdout)
        with open(os.path.join(out, "gradient_opacity.json")) as f:
            doc = json.load(f)
        self.assertEqual(doc["render"]["route"], "slicer-gpu")
        self.assertEqual(doc["render"]["scalar_opacity_unit_distance"],
                         doc["slicer"]["scalar_opacity_unit_distance"])
        check_slicer_files(self, out, doc)
        for f in ("render_flat.png", "render_auto.png", "render_removed.png"):
            check_png(self, os.path.join(out, f), (512, 512))

    def test_bad_renderer(self):
        rc, _, err = run_cli(self.vti, "--renderer", "slicer", "--json-only")
        self.assertEqual(rc, 2)
        self.assertIn("--renderer", err)


class SlicerFileChecks(unittest.TestCase):
    """The checks of gradientopacity.slicer_vp reject what Slicer would not
    read as written."""

    def doc(self):
        from gradientopacity.slicer_vp import vp_json_document
        return vp_json_document([(0, 0), (100, 0.5)], [(0, 0), (5, 1)],
                                [(0, 0, 0, 0), (100, 1, 1, 1)], (0, 100), 1.5)

    def test_valid(self):
        from gradientopacity.slicer_vp import check_vp_json
        self.assertTrue(check_vp_json(self.doc()))

    def test_rejected(self):
        from gradientopacity.slicer_vp import check_vp_json
        cases = [
            lambda d: d.pop("@schema"),
            lambda d: d.__setitem__("volumeProperties", []),
            lambda d: d["volumeProperties"][0].__setitem__("interpolationType", "trilinear"),
            lambda d: d["volumeProperties"][0].__setitem__("scatteringAnisotropy", 2.0),
            lambda d: d["volumeProperties"][0]["components"][0].__setitem__(
                "scalarOpacityUnitDistance", -1.0),
            lambda d: d["volumeProperties"][0]["components"][0].__setitem__("shade", 1),
            lambda d: d["volumeProperties"][0]["components"][0]["lighting"].pop("ambient"),
            lambda d: d["volumeProperties"][0]["components"][0]["lighting"].__setitem__(
                "diffuse", 1.5),
            lambda d: d["volumeProperties"][0]["components"][0]["gradientOpacity"]["points"][1]
            .__setitem__("x", 0.0),
            lambda d: d["volumeProperties"][0]["components"][0]["scalarOpacity"]["points"][0]
            .pop("midpoint"),
            lambda d: d["volumeProperties"][0]["components"][0]["scalarOpacity"]["points"][0]
            .__setitem__("y", float("nan")),
            lambda d: d["volumeProperties"][0]["components"][0]["rgbTransferFunction"]["points"][1]
            .__setitem__("color", [1, 1]),
            lambda d: d["volumeProperties"][0].__setitem__("effectiveRange", [0]),
        ]
        for i, spoil in enumerate(cases):
            d = self.doc()
            spoil(d)
            with self.assertRaises(ValueError, msg="case %d" % i):
                check_vp_json(d)

    def test_vp_points(self):
        from gradientopacity.slicer_vp import format_vp, MAX_LINE
        with self.assertRaises(ValueError):
            format_vp([(0, 0), (0, 1)], [(0, 0), (1, 1)], [(0, 0, 0, 0), (1, 1, 1, 1)])
        with self.assertRaises(ValueError):
            format_vp([(0, 0), (1, 1)], [(0, 0), (float("inf"), 1)],
                      [(0, 0, 0, 0), (1, 1, 1, 1)])
        # Many points: resampled to fit Slicer's line buffer.
        many = [(i * 1.000000000001, (i % 7) / 7.0) for i in range(400)]
        text = format_vp(many, [(0, 0), (1, 1)], [(0, 0, 0, 0), (1, 1, 1, 1)])
        self.assertTrue(all(len(l) <= MAX_LINE for l in text.split("\n")))
        self.assertEqual(MAX_LINE, 1022)


if __name__ == "__main__":
    unittest.main()
