#!/usr/bin/python3
"""scipy.ndimage peer routes for GradientOpacityBenchmark.

Reads a raw volume (x fastest, as VTK stores it) written by the benchmark and
times, with float32 output:
  scipy_sobel3_sqrt          ndimage.sobel along each axis + sqrt(sx^2+sy^2+sz^2)
  scipy_gaussian_grad_mag    ndimage.gaussian_gradient_magnitude(sigma = sigma_mm / spacing)
fresh (new output arrays each repetition) and steady (preallocated outputs,
every step written in place). Prints one line per route and mode:
  ROW <route> 1 <fresh|steady> <t0_ms> <t1_ms> ...   (wall time)
  CPU <route> 1 <fresh|steady> <t0_ms> <t1_ms> ...   (process CPU time)
scipy.ndimage is single-threaded.

usage: /usr/bin/python3 scipy_routes.py file.raw nx ny nz uint8|uint16 sx sy sz sigma reps
Standalone use: the same arguments; or --self-test for a tiny run.
"""
import sys
import time

import numpy as np
from scipy import ndimage


def sobel_fresh(vol):
    sx = ndimage.sobel(vol, axis=2, output=np.float32, mode="nearest")
    sy = ndimage.sobel(vol, axis=1, output=np.float32, mode="nearest")
    sz = ndimage.sobel(vol, axis=0, output=np.float32, mode="nearest")
    return np.sqrt(sx * sx + sy * sy + sz * sz)


def make_sobel_steady(vol):
    sx = np.empty(vol.shape, np.float32)
    sy = np.empty_like(sx)
    sz = np.empty_like(sx)

    def run():
        ndimage.sobel(vol, axis=2, output=sx, mode="nearest")
        ndimage.sobel(vol, axis=1, output=sy, mode="nearest")
        ndimage.sobel(vol, axis=0, output=sz, mode="nearest")
        np.multiply(sx, sx, out=sx)
        np.multiply(sy, sy, out=sy)
        np.multiply(sz, sz, out=sz)
        np.add(sx, sy, out=sx)
        np.add(sx, sz, out=sx)
        np.sqrt(sx, out=sx)
        return sx

    return run


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        vol = (np.arange(8 * 9 * 10) % 7).astype(np.uint8).reshape(10, 9, 8)
        out = sobel_fresh(vol)
        assert out.dtype == np.float32 and out.shape == vol.shape
        assert np.array_equal(out, make_sobel_steady(vol)())
        print("ok")
        return 0
    if len(argv) != 11:
        sys.stderr.write(__doc__)
        return 2
    path = argv[1]
    nx, ny, nz = (int(v) for v in argv[2:5])
    dtype = {"uint8": np.uint8, "uint16": np.uint16}[argv[5]]
    spacing_xyz = [float(v) for v in argv[6:9]]
    sigma_mm = float(argv[9])
    reps = int(argv[10])
    vol = np.fromfile(path, dtype=dtype, count=nx * ny * nz).reshape(nz, ny, nx)
    # numpy axes are (z, y, x): sigma in voxels per axis.
    sigma_vox = [sigma_mm / spacing_xyz[2], sigma_mm / spacing_xyz[1], sigma_mm / spacing_xyz[0]]

    cpu = {}

    def report(route, mode, times):
        print("ROW %s 1 %s %s" % (route, mode, " ".join("%.4f" % t for t in times)), flush=True)
        print("CPU %s 1 %s %s" % (route, mode, " ".join("%.4f" % t for t in cpu.pop("t", []))),
              flush=True)

    def timed(fn):
        t0 = time.perf_counter()
        c0 = time.process_time()
        result = fn()
        t = (time.perf_counter() - t0) * 1e3
        cpu.setdefault("t", []).append((time.process_time() - c0) * 1e3)
        del result
        return t

    # Sobel x3 + sqrt
    report("scipy_sobel3_sqrt", "fresh", [timed(lambda: sobel_fresh(vol)) for _ in range(reps)])
    run = make_sobel_steady(vol)
    run()
    cpu.pop("t", None)
    report("scipy_sobel3_sqrt", "steady", [timed(run) for _ in range(reps)])

    # gaussian_gradient_magnitude (mode 'nearest' like ours)
    def gauss_fresh():
        return ndimage.gaussian_gradient_magnitude(
            vol, sigma_vox, output=np.float32, mode="nearest")

    report("scipy_gaussian_grad_mag", "fresh", [timed(gauss_fresh) for _ in range(reps)])
    out = np.empty(vol.shape, np.float32)

    def gauss_steady():
        return ndimage.gaussian_gradient_magnitude(vol, sigma_vox, output=out, mode="nearest")

    gauss_steady()
    cpu.pop("t", None)
    report("scipy_gaussian_grad_mag", "steady", [timed(gauss_steady) for _ in range(reps)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
