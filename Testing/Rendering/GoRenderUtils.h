// Offscreen volume rendering helpers shared by the render tests.
#ifndef GoRenderUtils_h
#define GoRenderUtils_h

#include "vtkCamera.h"
#include "vtkColorTransferFunction.h"
#include "vtkFixedPointVolumeRayCastMapper.h"
#include "vtkGPUVolumeRayCastMapper.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkPNGReader.h"
#include "vtkPNGWriter.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkRenderWindow.h"
#include "vtkRenderer.h"
#include "vtkSmartPointer.h"
#include "vtkUnsignedCharArray.h"
#include "vtkVolume.h"
#include "vtkVolumeProperty.h"
#include "vtkWindowToImageFilter.h"

#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>

namespace go_test
{
// One X connection for every render window of the process, opened (through
// libX11, loaded at run time) with retries. VTK aborts the process on "bad X
// server connection" when its own XOpenDisplay fails; on a shared machine
// (several xvfb-run servers starting and stopping) a new connection can fail
// transiently, so the tests open one connection, retry it for a few seconds,
// and hand it to every window with SetDisplayId.
inline void* SharedDisplay()
{
  static void* display = [] {
    void* dpy = nullptr;
    const char* d = std::getenv("DISPLAY");
    if (!d || !*d)
    {
      return dpy;
    }
    void* x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_GLOBAL);
    using OpenFn = void* (*)(const char*);
    OpenFn open = x11 ? reinterpret_cast<OpenFn>(dlsym(x11, "XOpenDisplay")) : nullptr;
    for (int attempt = 0; open && attempt < 40 && !dpy; ++attempt)
    {
      dpy = open(nullptr);
      if (!dpy)
      {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
    }
    return dpy;
  }();
  return display;
}

inline bool HaveDisplay()
{
  return SharedDisplay() != nullptr;
}

enum MapperKind
{
  GPU,
  FIXED_POINT
};

// Renders `image` with `property` and returns the RGB frame.
inline vtkSmartPointer<vtkImageData> RenderVolume(vtkImageData* image, vtkVolumeProperty* property,
  MapperKind kind, int size = 200, double elevation = 0.0, double azimuth = 0.0,
  const char* yAxisArray = nullptr, bool fitParallel = false)
{
  vtkNew<vtkRenderWindow> win;
  win->SetDisplayId(SharedDisplay());
  win->SetOffScreenRendering(1);
  win->SetSize(size, size);
  win->SetMultiSamples(0);
  vtkNew<vtkRenderer> ren;
  ren->SetBackground(0, 0, 0);
  win->AddRenderer(ren);
  vtkSmartPointer<vtkVolumeMapper> mapper;
  if (kind == GPU)
  {
    vtkNew<vtkGPUVolumeRayCastMapper> m;
    m->SetAutoAdjustSampleDistances(0);
    m->SetSampleDistance(0.25);
    m->SetUseJittering(0);
    if (yAxisArray)
    {
      m->SetTransfer2DYAxisArray(yAxisArray);
    }
    mapper = m;
  }
  else
  {
    vtkNew<vtkFixedPointVolumeRayCastMapper> m;
    m->SetAutoAdjustSampleDistances(0);
    m->SetSampleDistance(0.25);
    m->SetImageSampleDistance(1.0);
    mapper = m;
  }
  mapper->SetInputData(image);
  vtkNew<vtkVolume> volume;
  volume->SetMapper(mapper);
  volume->SetProperty(property);
  ren->AddVolume(volume);
  if (fitParallel)
  {
    // Looking down -z with the x-y extent of the image filling the frame:
    // pixel (u, v) sees the column of voxels at x = u, y = v (fractions).
    double b[6];
    image->GetBounds(b);
    vtkCamera* cam = ren->GetActiveCamera();
    cam->ParallelProjectionOn();
    const double c[3] = { 0.5 * (b[0] + b[1]), 0.5 * (b[2] + b[3]), 0.5 * (b[4] + b[5]) };
    cam->SetFocalPoint(c);
    cam->SetPosition(c[0], c[1], c[2] + 4.0 * (b[5] - b[4] + b[1] - b[0]));
    cam->SetViewUp(0, 1, 0);
    cam->SetParallelScale(0.5 * (b[3] - b[2]));
    ren->ResetCameraClippingRange();
  }
  else
  {
    ren->ResetCamera();
    ren->GetActiveCamera()->Elevation(elevation);
    ren->GetActiveCamera()->Azimuth(azimuth);
    ren->GetActiveCamera()->OrthogonalizeViewUp();
    ren->ResetCamera();
    ren->GetActiveCamera()->Zoom(1.3);
  }
  win->Render();
  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(win);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();
  auto out = vtkSmartPointer<vtkImageData>::New();
  out->DeepCopy(grab->GetOutput());
  return out;
}

// Mean of the first channel over a window of the frame, in [0, 1].
inline double MeanIntensity(vtkImageData* frame, double x0, double x1, double y0, double y1)
{
  int dims[3];
  frame->GetDimensions(dims);
  vtkUnsignedCharArray* px = vtkUnsignedCharArray::SafeDownCast(frame->GetPointData()->GetScalars());
  const int nc = px->GetNumberOfComponents();
  double sum = 0;
  long count = 0;
  for (int y = static_cast<int>(y0 * dims[1]); y < static_cast<int>(y1 * dims[1]); ++y)
  {
    for (int x = static_cast<int>(x0 * dims[0]); x < static_cast<int>(x1 * dims[0]); ++x)
    {
      sum += px->GetValue((static_cast<vtkIdType>(y) * dims[0] + x) * nc);
      ++count;
    }
  }
  return count ? sum / (255.0 * count) : 0.0;
}

// White colour, constant scalar opacity, linear interpolation, no shading.
inline vtkSmartPointer<vtkVolumeProperty> FlatProperty(double lo, double hi, double opacity)
{
  auto p = vtkSmartPointer<vtkVolumeProperty>::New();
  vtkNew<vtkPiecewiseFunction> so;
  so->AddPoint(lo, opacity);
  so->AddPoint(hi, opacity);
  vtkNew<vtkColorTransferFunction> ct;
  ct->AddRGBPoint(lo, 1, 1, 1);
  ct->AddRGBPoint(hi, 1, 1, 1);
  p->SetScalarOpacity(so);
  p->SetColor(ct);
  p->SetInterpolationTypeToLinear();
  p->ShadeOff();
  return p;
}

// Mean absolute difference (0-255 scale) between two RGB frames of equal size;
// -1 when the sizes differ.
inline double MeanAbsDifference(vtkImageData* a, vtkImageData* b)
{
  int da[3], db[3];
  a->GetDimensions(da);
  b->GetDimensions(db);
  if (da[0] != db[0] || da[1] != db[1])
  {
    return -1.0;
  }
  vtkDataArray* pa = a->GetPointData()->GetScalars();
  vtkDataArray* pb = b->GetPointData()->GetScalars();
  const int nc = std::min(3, std::min(pa->GetNumberOfComponents(), pb->GetNumberOfComponents()));
  double sum = 0;
  for (vtkIdType i = 0; i < pa->GetNumberOfTuples(); ++i)
  {
    for (int c = 0; c < nc; ++c)
    {
      sum += std::fabs(pa->GetComponent(i, c) - pb->GetComponent(i, c));
    }
  }
  return sum / (double(pa->GetNumberOfTuples()) * nc);
}

// Compares a frame with Data/Baseline/<name>.png (mean absolute
// difference below `tolerance`). With GO_WRITE_BASELINES=1 in the
// environment the baseline is (re)written instead. The frame is always
// written next to the test binary for inspection.
inline double CompareWithBaseline(vtkImageData* frame, const std::string& name)
{
  vtkNew<vtkPNGWriter> w;
  w->SetInputData(frame);
  w->SetFileName((std::string(GO_TEST_OUTPUT_DIR) + "/" + name + ".png").c_str());
  w->Write();
  const std::string baseline = std::string(GO_BASELINE_DIR) + "/" + name + ".png";
  const char* write = std::getenv("GO_WRITE_BASELINES");
  if (write && std::string(write) == "1")
  {
    vtkNew<vtkPNGWriter> bw;
    bw->SetInputData(frame);
    bw->SetFileName(baseline.c_str());
    bw->Write();
    return 0.0;
  }
  vtkNew<vtkPNGReader> r;
  if (!r->CanReadFile(baseline.c_str()))
  {
    return -2.0;
  }
  r->SetFileName(baseline.c_str());
  r->Update();
  return MeanAbsDifference(frame, r->GetOutput());
}
}

#endif
