#!/usr/bin/env python3
"""How the noise multiplier k trades noise suppression for boundary retention
(the calibration in docs/algorithm.md; needs numpy and scipy).

Phantom: 64^3, spacing 1 x 1 x 1.5, background 100, slab 160, spheres 200 and
300, blurred by a 0.8-voxel Gaussian (PSF), Gaussian noise sigma 5. 300000
sub-voxel positions; g computed as the GPU shader does (central differences
of the trilinear interpolant, step N/(N-1) voxels, mapper units) on the clean
and the noisy volume. Noise-only: clean g < 0.01; boundary: clean g >= 15.
For each k: fraction of noise-only samples with opacity < 0.05 and of
boundary samples with opacity > 0.5 under the automatic curve (SUBVOXEL).
Run: /usr/bin/python3 measure_noise_multiplier.py (PYTHONPATH: gradientopacity)
"""
import numpy as np
from scipy.ndimage import gaussian_filter, map_coordinates
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonDataModel import vtkImageData

from gradientopacity import vtkAutoGradientOpacity

n, sp = 64, (1.0, 1.0, 1.5)
z, y, x = np.mgrid[0:n, 0:n, 0:n].astype(float)
f = np.full((n, n, n), 100.0)
f[:, :, int(0.75 * n):int(0.85 * n)] = 160.0
for c, r, v in (((0.32, 0.35, 0.35), 0.2, 200.0), ((0.6, 0.6, 0.6), 0.16, 300.0)):
    d = np.sqrt(((x - c[0] * n) * sp[0]) ** 2 + ((y - c[1] * n) * sp[1]) ** 2 +
                ((z - c[2] * n) * sp[2]) ** 2)
    f[d < r * n] = v
clean = gaussian_filter(f, 0.8, mode="nearest")
noisy = clean + np.random.default_rng(3).normal(0.0, 5.0, f.shape)

p = np.random.default_rng(7).uniform(0, n - 1, (3, 300000))  # z, y, x
hbar, spz = sum(sp) / 3, (sp[2], sp[1], sp[0])


def g_sub(a):
    s = 0.0
    for ax in range(3):
        pp, pm = p.copy(), p.copy()
        pp[ax] = np.clip(pp[ax] + n / (n - 1), 0, n - 1)
        pm[ax] = np.clip(pm[ax] - n / (n - 1), 0, n - 1)
        d = (map_coordinates(a, pp, order=1) - map_coordinates(a, pm, order=1)) * hbar / (2 * spz[ax])
        s = s + d * d
    return np.sqrt(s)


g0, g1 = g_sub(clean), g_sub(noisy)
noise, boundary = g0 < 0.01, g0 >= 15.0
image = vtkImageData()
image.SetDimensions(n, n, n)
image.SetSpacing(*sp)
image.GetPointData().SetScalars(numpy_support.numpy_to_vtk(noisy.astype(np.float32).ravel(), deep=1))
print("noise-only samples %d, boundary samples %d" % (noise.sum(), boundary.sum()))
for k in (1.5, 2.0, 2.5, 3.0, 3.5):
    a = vtkAutoGradientOpacity()
    a.SetInputData(image)
    a.SetNoiseMultiplier(k)
    a.Update()
    op = np.vectorize(a.EvaluateOpacity)
    print("k=%.1f low %.2f high %.2f  noise<0.05 %.4f  boundary>0.5 %.4f" % (
        k, a.GetLowThreshold(), a.GetHighThreshold(), (op(g1[noise]) < 0.05).mean(),
        (op(g1[boundary]) > 0.5).mean()))
