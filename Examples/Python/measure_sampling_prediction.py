"""Which sampling mode predicts the rendered result? (docs/algorithm.md)

A homogeneous noisy block (48^3, mean 100, noise sigma 5, spacing 1 x 1 x 1.5)
is rendered with constant scalar opacity and a step gradient-opacity function
at threshold t. The rendered fraction of ray samples with g > t follows from
the centre brightness I(t) and the brightness I0 of an all-visible render:
P_render = ln(1 - I(t)) / ln(1 - I0). It is compared with P(g > t) predicted
by the GRID and SUBVOXEL statistics of vtkAutoGradientOpacity, for t at
quantiles of both. Run: xvfb-run -a /usr/bin/python3 measure_sampling_prediction.py
"""
import numpy as np, sys
from vtkmodules.util import numpy_support as ns
from vtkmodules.vtkCommonDataModel import vtkImageData
def to_image(a, spacing):
    im = vtkImageData(); nz, ny, nx = a.shape
    im.SetDimensions(nx, ny, nz); im.SetSpacing(*spacing)
    arr = ns.numpy_to_vtk(np.ascontiguousarray(a).ravel(), deep=1); arr.SetName("s")
    im.GetPointData().SetScalars(arr); return im
from gradientopacity import vtkAutoGradientOpacity, vtkGradientMagnitudeFilter
import vtkmodules.vtkRenderingOpenGL2, vtkmodules.vtkRenderingVolumeOpenGL2
from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow, vtkVolume, vtkVolumeProperty, vtkColorTransferFunction, vtkWindowToImageFilter
from vtkmodules.vtkRenderingVolume import vtkFixedPointVolumeRayCastMapper
from vtkmodules.vtkRenderingVolumeOpenGL2 import vtkOpenGLGPUVolumeRayCastMapper
from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
n=48; sp=(1.0,1.0,1.5)
rng=np.random.default_rng(1)
a = rng.normal(100,5,(n,n,n)).astype(np.float32)
img = to_image(a, sp)
def samples(mode):
    ag = vtkAutoGradientOpacity(); ag.SetInputData(img); ag.SetSampling(mode); ag.Update()
    t = ag.GetStatisticsTable()
    c = ns.vtk_to_numpy(t.GetColumnByName("Count")); x = ns.vtk_to_numpy(t.GetColumnByName("BinCenterMapper"))
    cdf = np.cumsum(c)/c.sum()
    return x, cdf, ag.GetGradientScale()
xg,cg,gmax = samples(0); xs,cs,_ = samples(1)
def P_above(x,cdf,t): return 1-np.interp(t,x,cdf)
ren=vtkRenderer(); win=vtkRenderWindow(); win.SetOffScreenRendering(1); win.AddRenderer(ren); win.SetSize(120,120)
def render(mapper_kind, t):
    ren.RemoveAllViewProps()
    m = vtkOpenGLGPUVolumeRayCastMapper() if mapper_kind=='gpu' else vtkFixedPointVolumeRayCastMapper()
    m.SetInputData(img); m.SetSampleDistance(0.5); 
    if mapper_kind=='gpu': m.SetAutoAdjustSampleDistances(0); m.SetUseJittering(0)
    else: m.SetAutoAdjustSampleDistances(0); m.SetImageSampleDistance(1.0)
    p=vtkVolumeProperty(); so=vtkPiecewiseFunction(); so.AddPoint(0,0.02); so.AddPoint(1000,0.02)
    ct=vtkColorTransferFunction(); ct.AddRGBPoint(0,1,1,1); ct.AddRGBPoint(1000,1,1,1)
    p.SetScalarOpacity(so); p.SetColor(ct); p.SetInterpolationTypeToLinear(); p.ShadeOff()
    go=vtkPiecewiseFunction(); 
    if t<=0: go.AddPoint(0,1); go.AddPoint(gmax,1)
    else: go.AddPoint(0,0); go.AddPoint(t*0.99,0); go.AddPoint(t,1); go.AddPoint(gmax,1)
    p.SetGradientOpacity(go)
    v=vtkVolume(); v.SetMapper(m); v.SetProperty(p); ren.AddVolume(v)
    ren.ResetCamera(); ren.GetActiveCamera().Zoom(2.0); win.Render()
    w2i=vtkWindowToImageFilter(); w2i.SetInput(win); w2i.Update()
    im = ns.vtk_to_numpy(w2i.GetOutput().GetPointData().GetScalars()).reshape(120,120,-1)[40:80,40:80,0]/255.0
    return im.mean()
for kind in ('gpu','fixed'):
    I0 = render(kind, 0)
    print(kind, "I0", I0)
    for q in (0.25,0.5,0.75,0.9):
        for name,x,c in (("grid",xg,cg),("sub",xs,cs)):
            t = float(np.interp(q, c, x))
            I = render(kind, t)
            p = np.log(1-I)/np.log(1-I0)
            print(kind, "t=%.3f (q%.2f of %s)"%(t,1-q,name), "rendered P(g>t)=%.3f"%p, "pred grid %.3f sub %.3f"%(P_above(xg,cg,t),P_above(xs,cs,t)))
