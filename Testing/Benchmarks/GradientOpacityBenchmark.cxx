// GradientOpacityBenchmark: speed of vtkGradientMagnitudeFilter against VTK's
// own routes, scipy.ndimage, ITK and the memory-copy floor (docs/performance.md).
//
// Every route runs on the same input in one process (scipy and ITK in helper
// processes fed with the same raw bytes) and is timed two ways:
//   fresh  - new filter objects and new output arrays every repetition
//            (creation + Update inside the timer, destruction outside);
//   steady - one pipeline, re-executed after Modified() on its first filter.
// Reported: median and minimum over the repetitions, voxels/s of the median,
// and ours/route = time of ours (central, float32, all threads) / time of the
// route (below 1: ours is faster; 1/x is the speedup).
//
// usage: GradientOpacityBenchmark [--reps N] [--threads N] [--inputs LIST]
//          [--data embryo.slc] [--no-scipy] [--no-itk] [--python EXE]
//          [--itk EXE] [--smoke] [--only PREFIX,...] [--steady-only]
//   LIST: comma-separated among 64, 128, 256 (embryo.slc when present, else
//         generated), 512x512x256 (uint16); default all four.
//   --smoke: one repetition on a 16^3 volume (checks the harness, not speed).
//   --only: run only the routes whose names start with one of the prefixes
//   ("floor", "scipy", "itk" select those groups); --steady-only: skip the
//   fresh runs. For instruction counts: run under callgrind with --reps 1 and
//   --reps 3; the difference / 2 is one steady execution.
#include "vtkGradientMagnitudeFilter.h"

#include "go_gradient.h" // go_gradient_set_simd: the central row without its AVX-512F form

#if defined(__has_include)
#if __has_include("vtkAutoGradientOpacity.h")
#include "vtkAutoGradientOpacity.h"
#define GO_HAVE_AUTO_GRADIENT_OPACITY 1
#endif
#endif
#include "vtkAlgorithm.h"
#include "vtkAlgorithmOutput.h"
#include "vtkDataArray.h"
#include "vtkImageCast.h"
#include "vtkImageData.h"
#include "vtkImageGradient.h"
#include "vtkImageGradientMagnitude.h"
#include "vtkImageMagnitude.h"
#include "vtkMultiThreader.h"
#include "vtkNew.h"
#include "vtkPointData.h"
#include "vtkSLCReader.h"
#include "vtkSmartPointer.h"
#include "vtkUnsignedCharArray.h"
#include "vtkUnsignedShortArray.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef GO_BENCHMARK_PYTHON
#define GO_BENCHMARK_PYTHON "/usr/bin/python3"
#endif
#ifndef GO_BENCHMARK_SCIPY_SCRIPT
#define GO_BENCHMARK_SCIPY_SCRIPT ""
#endif
#ifndef GO_BENCHMARK_ITK_EXE
#define GO_BENCHMARK_ITK_EXE ""
#endif
#ifndef GO_SHARED_DATA_DIR
#define GO_SHARED_DATA_DIR ""
#endif

namespace
{
double NowMs()
{
  return std::chrono::duration<double, std::milli>(
    std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

// CPU time of the whole process (every thread, user + system): on a shared,
// loaded machine wall time also counts waiting for a core; CPU time does not.
double CpuMs()
{
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// The 1-minute load average (reported with the results).
std::string LoadAverage()
{
  FILE* f = std::fopen("/proc/loadavg", "r");
  char buf[128] = "unknown";
  if (f)
  {
    if (!std::fgets(buf, sizeof(buf), f))
      std::strcpy(buf, "unknown");
    std::fclose(f);
  }
  std::string s(buf);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

double Median(std::vector<double> v)
{
  if (v.empty())
  {
    return NAN;
  }
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double Min(const std::vector<double>& v)
{
  return v.empty() ? NAN : *std::min_element(v.begin(), v.end());
}

struct Options
{
  int Reps = 5;
  int Threads = 0;
  bool Smoke = false;
  bool Scipy = true;
  bool Itk = true;
  std::string Python = GO_BENCHMARK_PYTHON;
  std::string ScipyScript = GO_BENCHMARK_SCIPY_SCRIPT;
  std::string ItkExe = GO_BENCHMARK_ITK_EXE;
  std::string Data = std::string(GO_SHARED_DATA_DIR) + "/embryo.slc";
  std::vector<std::string> Inputs = { "64", "128", "256", "512x512x256" };
  std::vector<std::string> Only; // route name prefixes; empty: all
  bool SteadyOnly = false;
};

const Options* TheOptions = nullptr;

// --only: a route runs when one of the prefixes starts its name.
bool Selected(const std::string& route)
{
  if (!TheOptions || TheOptions->Only.empty())
    return true;
  for (const auto& p : TheOptions->Only)
  {
    if (route.compare(0, p.size(), p) == 0)
      return true;
  }
  return false;
}

struct Input
{
  std::string Label;
  std::string TypeName; // uint8 / uint16
  vtkSmartPointer<vtkImageData> Image;
  int Dims[3];
  double Spacing[3];
  size_t Voxels() const { return (size_t)Dims[0] * Dims[1] * Dims[2]; }
  size_t InBytes() const { return TypeName == "uint16" ? 2 : 1; }
};

struct Result
{
  std::string Route;
  int Threads = 1;
  std::vector<double> Fresh, Steady;
  std::vector<double> FreshCpu, SteadyCpu; // process CPU time (all threads, user + system)
  std::string Note;
};

// A deterministic test volume: smooth structures plus noise, so every code
// path sees realistic values (speed does not depend on them).
vtkSmartPointer<vtkImageData> Generate(int nx, int ny, int nz, bool u16)
{
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetDimensions(nx, ny, nz);
  image->SetSpacing(1.0, 1.0, 1.0);
  image->AllocateScalars(u16 ? VTK_UNSIGNED_SHORT : VTK_UNSIGNED_CHAR, 1);
  image->GetPointData()->GetScalars()->SetName("Scalars");
  const double amp = u16 ? 20000.0 : 100.0, mid = u16 ? 30000.0 : 128.0;
  uint32_t state = 12345u;
  std::vector<double> sx(nx), sy(ny), sz(nz);
  for (int i = 0; i < nx; ++i)
    sx[i] = std::sin(i / 9.0);
  for (int i = 0; i < ny; ++i)
    sy[i] = std::cos(i / 11.0);
  for (int i = 0; i < nz; ++i)
    sz[i] = std::sin(i / 13.0);
  size_t idx = 0;
  for (int z = 0; z < nz; ++z)
  {
    for (int y = 0; y < ny; ++y)
    {
      for (int x = 0; x < nx; ++x, ++idx)
      {
        state = state * 1664525u + 1013904223u;
        const double noise = ((state >> 24) & 0xff) / 255.0 - 0.5;
        const double v = mid + amp * sx[x] * sy[y] * sz[z] + (u16 ? 500.0 : 8.0) * noise;
        if (u16)
        {
          static_cast<unsigned short*>(image->GetScalarPointer())[idx] =
            static_cast<unsigned short>(std::max(0.0, std::min(65535.0, v)));
        }
        else
        {
          static_cast<unsigned char*>(image->GetScalarPointer())[idx] =
            static_cast<unsigned char>(std::max(0.0, std::min(255.0, v)));
        }
      }
    }
  }
  return image;
}

bool FileExists(const std::string& path)
{
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Input MakeInput(const std::string& spec, const Options& opt)
{
  Input in;
  if (spec == "256" && FileExists(opt.Data))
  {
    vtkNew<vtkSLCReader> reader;
    reader->SetFileName(opt.Data.c_str());
    reader->Update();
    vtkImageData* out = reader->GetOutput();
    if (out && out->GetPointData()->GetScalars() &&
      out->GetScalarType() == VTK_UNSIGNED_CHAR && out->GetNumberOfPoints() > 0)
    {
      in.Image = vtkSmartPointer<vtkImageData>::New();
      in.Image->DeepCopy(out);
      // Extent from 0 so that the raw dump and the helpers agree.
      int d[3];
      in.Image->GetDimensions(d);
      in.Image->SetExtent(0, d[0] - 1, 0, d[1] - 1, 0, d[2] - 1);
      in.Image->SetOrigin(0, 0, 0);
      in.Label = "embryo.slc";
      in.TypeName = "uint8";
    }
  }
  if (!in.Image)
  {
    int nx, ny, nz;
    bool u16 = false;
    if (spec.find('x') != std::string::npos)
    {
      if (std::sscanf(spec.c_str(), "%dx%dx%d", &nx, &ny, &nz) != 3)
      {
        std::fprintf(stderr, "bad input size %s\n", spec.c_str());
        std::exit(2);
      }
      u16 = true;
    }
    else
    {
      nx = ny = nz = std::atoi(spec.c_str());
    }
    if (nx < 2 || ny < 2 || nz < 2)
    {
      std::fprintf(stderr, "bad input size %s\n", spec.c_str());
      std::exit(2);
    }
    in.Image = Generate(nx, ny, nz, u16);
    in.Label = "generated";
    in.TypeName = u16 ? "uint16" : "uint8";
  }
  in.Image->GetDimensions(in.Dims);
  in.Image->GetSpacing(in.Spacing);
  return in;
}

// A pipeline: its first filter (Modified() re-executes everything) and last.
struct Pipeline
{
  std::vector<vtkSmartPointer<vtkAlgorithm>> Filters;
  vtkAlgorithm* First() const { return Filters.front(); }
  vtkAlgorithm* Last() const { return Filters.back(); }
};

Result TimePipeline(const std::string& route, int threads, const std::function<Pipeline()>& make,
  int reps)
{
  Result r;
  r.Route = route;
  r.Threads = threads;
  if (!Selected(route))
    return r;
  for (int i = 0; i < (TheOptions && TheOptions->SteadyOnly ? 0 : reps); ++i)
  {
    double t0 = NowMs(), c0 = CpuMs();
    std::unique_ptr<Pipeline> p(new Pipeline(make()));
    p->Last()->Update();
    r.Fresh.push_back(NowMs() - t0);
    r.FreshCpu.push_back(CpuMs() - c0);
  }
  Pipeline p = make();
  p.Last()->Update();
  for (int i = 0; i < reps; ++i)
  {
    double t0 = NowMs(), c0 = CpuMs();
    p.First()->Modified();
    p.Last()->Update();
    r.Steady.push_back(NowMs() - t0);
    r.SteadyCpu.push_back(CpuMs() - c0);
  }
  return r;
}

// A new image over the same voxels: same geometry, a new scalars array of
// the same type wrapping the input's memory (no copy). Nothing is cached on
// it yet (VTK keeps an array's range on the array), as for a volume just read.
vtkSmartPointer<vtkImageData> NewArrayView(vtkImageData* image)
{
  auto view = vtkSmartPointer<vtkImageData>::New();
  view->CopyStructure(image);
  vtkDataArray* s = image->GetPointData()->GetScalars();
  vtkSmartPointer<vtkDataArray> a;
  a.TakeReference(vtkDataArray::CreateDataArray(s->GetDataType()));
  a->SetNumberOfComponents(s->GetNumberOfComponents());
  a->SetVoidArray(s->GetVoidPointer(0), s->GetNumberOfValues(), 1);
  a->SetName(s->GetName());
  view->GetPointData()->SetScalars(a);
  return view;
}

// Run f(slice, begin, end) over [0, n) in `threads` slices, one std::thread
// each beyond the first.
void Parallel(size_t n, int threads, const std::function<void(int, size_t, size_t)>& f)
{
  std::vector<std::thread> pool;
  const size_t chunk = (n / threads + 4095) & ~(size_t)4095;
  for (int t = 1; t < threads; ++t)
  {
    const size_t b = std::min(n, t * chunk), e = std::min(n, (t + 1) * chunk);
    pool.emplace_back([=]() { f(t, b, e); });
  }
  f(0, 0, std::min(n, chunk));
  for (auto& th : pool)
    th.join();
}

// The floor: memcpy of (input + output) bytes per voxel into a reused
// buffer, and a read-only pass over the same number of bytes.
void FloorRoutes(const Input& in, int threads, int reps, std::vector<Result>& results)
{
  if (!Selected("floor"))
    return;
  const size_t bytes = in.Voxels() * (in.InBytes() + 4);
  std::vector<uint64_t> src(bytes / 8 + 1, 1), dst(bytes / 8 + 1, 0);
  for (int nt : { 1, threads })
  {
    Result copy, read;
    copy.Route = "floor_memcpy_in+out_bytes";
    read.Route = "floor_read_in+out_bytes";
    copy.Threads = read.Threads = nt;
    for (int i = 0; i < reps + 1; ++i)
    {
      double t0 = NowMs(), c0 = CpuMs();
      Parallel(bytes, nt, [&](int, size_t b, size_t e) {
        std::memcpy(reinterpret_cast<char*>(dst.data()) + b,
          reinterpret_cast<const char*>(src.data()) + b, e - b);
      });
      const double t = NowMs() - t0, ct = CpuMs() - c0;
      if (i > 0)
      {
        copy.Steady.push_back(t);
        copy.SteadyCpu.push_back(ct);
      }
      std::vector<uint64_t> sums(nt, 0);
      t0 = NowMs();
      c0 = CpuMs();
      Parallel(bytes / 8, nt, [&](int t, size_t b, size_t e) {
        uint64_t s = 0;
        const uint64_t* p = src.data();
        for (size_t k = b; k < e; ++k)
          s += p[k];
        sums[t] = s;
      });
      const double tr = NowMs() - t0, ctr = CpuMs() - c0;
      volatile uint64_t sink = 0;
      for (uint64_t s : sums)
        sink += s;
      (void)sink;
      if (i > 0)
      {
        read.Steady.push_back(tr);
        read.SteadyCpu.push_back(ctr);
      }
    }
    copy.Note = "reused buffers (no page faults)";
    read.Note = "sum of 64-bit words";
    results.push_back(copy);
    results.push_back(read);
    if (threads == 1)
      break;
  }
}

// Dump the input's scalars (x fastest) for the helper processes.
std::string DumpRaw(const Input& in)
{
  char name[] = "/tmp/go_benchmark_XXXXXX";
  const int fd = mkstemp(name);
  if (fd < 0)
    return std::string();
  const char* p = static_cast<const char*>(in.Image->GetScalarPointer());
  size_t left = in.Voxels() * in.InBytes();
  while (left > 0)
  {
    const ssize_t w = write(fd, p, left);
    if (w <= 0)
    {
      close(fd);
      unlink(name);
      return std::string();
    }
    p += w;
    left -= (size_t)w;
  }
  close(fd);
  return name;
}

// Run a helper and collect its "ROW route threads mode t..." lines.
void RunHelper(const std::string& command, const std::string& what, std::vector<Result>& results,
  std::vector<std::string>& notes)
{
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe)
  {
    notes.push_back(what + ": could not start (" + command + ")");
    return;
  }
  std::map<std::string, Result> rows;
  std::vector<std::string> order;
  std::string other;
  char line[8192];
  while (std::fgets(line, sizeof(line), pipe))
  {
    std::istringstream is(line);
    std::string tag, route, mode;
    int threads = 1;
    if (!(is >> tag) || (tag != "ROW" && tag != "CPU") || !(is >> route >> threads >> mode))
    {
      if (other.size() < 400)
        other += line;
      continue;
    }
    const std::string key = route + "#" + std::to_string(threads);
    if (!rows.count(key))
    {
      order.push_back(key);
      rows[key].Route = route;
      rows[key].Threads = threads;
    }
    double t;
    Result& row = rows[key];
    std::vector<double>& dst = tag == "CPU" ? (mode == "fresh" ? row.FreshCpu : row.SteadyCpu)
                                            : (mode == "fresh" ? row.Fresh : row.Steady);
    while (is >> t)
      dst.push_back(t);
  }
  const int status = pclose(pipe);
  for (const auto& k : order)
    results.push_back(rows[k]);
  if (status != 0 || order.empty())
  {
    notes.push_back(what + " failed (status " + std::to_string(status) + "): " + other);
  }
}

const Result* Find(const std::vector<Result>& rs, const std::string& route, int threads = -1)
{
  for (const auto& r : rs)
  {
    if (r.Route == route && (threads < 0 || r.Threads == threads))
      return &r;
  }
  return nullptr;
}

std::string Fmt(double v, const char* f = "%.2f")
{
  if (!std::isfinite(v))
    return "-";
  char b[64];
  std::snprintf(b, sizeof(b), f, v);
  return b;
}

struct Summary
{
  std::string Label;
  size_t Voxels = 0;
  double OursSteady = NAN, OursSteady1 = NAN, OursFresh = NAN;
};

void PrintTable(const Input& in, const std::vector<Result>& rs, int threads,
  const std::vector<std::string>& notes, Summary& summary)
{
  const double mvox = in.Voxels() / 1e6;
  std::printf("\n== %s %dx%dx%d %s, spacing (%g, %g, %g): %.2f Mvoxels ==\n", in.Label.c_str(),
    in.Dims[0], in.Dims[1], in.Dims[2], in.TypeName.c_str(), in.Spacing[0], in.Spacing[1],
    in.Spacing[2], mvox);
  const Result* ours = Find(rs, "ours_central", threads);
  const double of = ours ? Median(ours->Fresh) : NAN, os = ours ? Median(ours->Steady) : NAN;
  std::printf("%-42s %3s | %9s %9s | %9s %9s | %9s | %10s %10s | %8s %8s\n", "route", "thr",
    "fresh med", "fresh min", "stdy med", "stdy min", "Mvox/s", "ours/route", "ours/route",
    "fresh", "stdy");
  std::printf("%-42s %3s | %9s %9s | %9s %9s | %9s | %10s %10s | %8s %8s\n", "", "", "ms", "ms",
    "ms", "ms", "steady", "fresh", "steady", "cpu ms", "cpu ms");
  for (const auto& r : rs)
  {
    const double fm = Median(r.Fresh), sm = Median(r.Steady);
    std::printf("%-42s %3d | %9s %9s | %9s %9s | %9s | %10s %10s | %8s %8s%s%s\n",
      r.Route.c_str(), r.Threads, Fmt(fm).c_str(), Fmt(Min(r.Fresh)).c_str(), Fmt(sm).c_str(),
      Fmt(Min(r.Steady)).c_str(), Fmt(mvox / (sm / 1e3), "%.0f").c_str(),
      Fmt(of / fm, "%.3f").c_str(), Fmt(os / sm, "%.3f").c_str(),
      Fmt(Median(r.FreshCpu)).c_str(), Fmt(Median(r.SteadyCpu)).c_str(),
      r.Note.empty() ? "" : "  ", r.Note.c_str());
  }
  for (const auto& n : notes)
    std::printf("note: %s\n", n.c_str());

  // The project's performance targets (docs/performance.md), medians of this run.
  auto ratio = [&](const char* peer, int thr, bool fresh) -> double {
    const Result* p = Find(rs, peer, thr);
    if (!p || !ours)
      return NAN;
    return fresh ? Median(p->Fresh) / of : Median(p->Steady) / os;
  };
  auto verdict = [](bool ok) { return ok ? "MET" : "NOT MET"; };
  std::printf("targets (central, float32, %d threads, wall-time medians; stated "
              "for 256^3 uint8):\n",
    threads);
  const double rf = ratio("vtk_cast_float+ImageGradientMagnitude", -1, true);
  const double rsd = ratio("vtk_cast_float+ImageGradientMagnitude", -1, false);
  std::printf("  fresh  speedup vs VTK correct route : %7.1fx (>= 20x) %s\n", rf,
    verdict(rf >= 20));
  std::printf("  steady speedup vs VTK correct route : %7.1fx (>= 10x) %s\n", rsd,
    verdict(rsd >= 10));
  const Result* floor = Find(rs, "floor_memcpy_in+out_bytes", threads);
  const Result* floor1 = Find(rs, "floor_memcpy_in+out_bytes", 1);
  if (floor)
  {
    double fl = Median(floor->Steady);
    if (floor1)
      fl = std::min(fl, Median(floor1->Steady));
    std::printf("  steady / memcpy floor (best)        : %7.2fx (<= 2x)  %s\n", os / fl,
      verdict(os / fl <= 2));
  }
  // The same ratios in CPU time (summed over threads): a proxy that does not
  // count waiting for a core on a loaded machine.
  if (ours)
  {
    const Result* v = Find(rs, "vtk_cast_float+ImageGradientMagnitude");
    const Result* fl = Find(rs, "floor_memcpy_in+out_bytes", threads);
    const double ocf = Median(ours->FreshCpu), ocs = Median(ours->SteadyCpu);
    std::printf("  cpu-time proxy: fresh %.1fx, steady %.1fx vs VTK correct route; steady / "
                "memcpy floor (%d thr) %.2fx\n",
      v ? Median(v->FreshCpu) / ocf : NAN, v ? Median(v->SteadyCpu) / ocs : NAN, threads,
      fl ? ocs / Median(fl->SteadyCpu) : NAN);
  }
  const Result* o1 = Find(rs, "ours_central", 1);
  if (o1 && threads > 1)
  {
    const double eff = Median(o1->Steady) / (threads * os);
    std::printf("  parallel efficiency steady, %d thr   : %7.0f%% (>= 80%%) %s\n", threads,
      100 * eff, verdict(eff >= 0.8));
  }
  for (const char* ao : { "ours_auto_gradient_opacity_grid", "ours_auto_gradient_opacity_subvoxel",
         "ours_auto_subvoxel_new_array" })
  {
    const Result* a = Find(rs, ao, threads);
    if (a && ours)
    {
      const double xf = Median(a->Fresh) / of, xs = Median(a->Steady) / os;
      std::printf("  %-36s: fresh %5.2fx steady %5.2fx one gradient pass (<= 1.5x) %s\n", ao, xf,
        xs, verdict(xf <= 1.5 && xs <= 1.5));
    }
  }
  // The other operators and GRID statistics against one central pass (steady
  // medians of this run), and each one's fresh run against its steady run.
  struct OperatorTarget
  {
    const char* Route;
    const char* Label;
    double MaxSteady;
  };
  for (const OperatorTarget& t :
    { OperatorTarget{ "ours_sobel", "sobel / central", 2.5 },
      OperatorTarget{ "ours_gaussian", "gaussian sigma=1mm / central", 5.0 },
      OperatorTarget{ "ours_auto_gradient_opacity_grid", "auto GRID / central", 2.0 } })
  {
    const Result* a = Find(rs, t.Route, threads);
    if (!a || !ours)
    {
      std::printf("  %-36s: not measured\n", t.Label);
      continue;
    }
    const double xs = Median(a->Steady) / os, fs = Median(a->Fresh) / Median(a->Steady);
    std::printf("  %-36s: steady %5.2fx (<= %.1fx) %s; fresh / steady %5.2fx (<= 1.5x) %s\n",
      t.Label, xs, t.MaxSteady, verdict(xs <= t.MaxSteady), fs, verdict(fs <= 1.5));
  }
  const Result* c2 = Find(rs, "ours_central_avx2", threads);
  if (c2 && !c2->Steady.empty())
  {
    const double oc = Median(c2->Steady);
    std::printf("  the same against the central row's AVX2 form (%.2f ms):", oc);
    for (const char* route : { "ours_sobel", "ours_gaussian", "ours_auto_gradient_opacity_grid",
           "ours_auto_gradient_opacity_subvoxel" })
    {
      const Result* a = Find(rs, route, threads);
      if (a && !a->Steady.empty())
        std::printf(" %s %.2fx", route + 5, Median(a->Steady) / oc);
    }
    std::printf("\n");
  }
  const Result* g = Find(rs, "ours_gaussian", threads);
  for (const char* peer : { "scipy_gaussian_grad_mag", "itk_GradientMagnitudeRecursiveGaussian" })
  {
    const Result* p = Find(rs, peer);
    if (g && p)
    {
      const double sf = Median(p->Fresh) / Median(g->Fresh);
      const double ss = Median(p->Steady) / Median(g->Steady);
      std::printf("  gaussian speedup vs %-38s: fresh %6.1fx steady %6.1fx (> 1x) %s\n", peer,
        sf, ss, verdict(sf > 1 && ss > 1));
    }
    else
    {
      std::printf("  gaussian speedup vs %-38s: not measured\n", peer);
    }
  }
  summary.Label = in.Label + " " + std::to_string(in.Dims[0]) + "x" + std::to_string(in.Dims[1]) +
    "x" + std::to_string(in.Dims[2]) + " " + in.TypeName;
  summary.Voxels = in.Voxels();
  summary.OursSteady = os;
  summary.OursFresh = of;
  summary.OursSteady1 = o1 ? Median(o1->Steady) : NAN;
}

void Usage(const char* argv0)
{
  std::fprintf(stderr,
    "usage: %s [--reps N] [--threads N] [--inputs 64,128,256,512x512x256] [--data file.slc]\n"
    "          [--no-scipy] [--no-itk] [--python EXE] [--itk EXE] [--smoke]\n"
    "          [--only PREFIX,...] [--steady-only]   (e.g. under valgrind --tool=callgrind)\n",
    argv0);
}
}

int main(int argc, char* argv[])
{
  Options opt;
  for (int i = 1; i < argc; ++i)
  {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc)
      {
        Usage(argv[0]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--reps")
      opt.Reps = std::max(1, std::atoi(next().c_str()));
    else if (a == "--threads")
      opt.Threads = std::max(1, std::atoi(next().c_str()));
    else if (a == "--data")
      opt.Data = next();
    else if (a == "--python")
      opt.Python = next();
    else if (a == "--itk")
      opt.ItkExe = next();
    else if (a == "--no-scipy")
      opt.Scipy = false;
    else if (a == "--no-itk")
      opt.Itk = false;
    else if (a == "--smoke")
      opt.Smoke = true;
    else if (a == "--steady-only")
      opt.SteadyOnly = true;
    else if (a == "--only")
    {
      std::stringstream ss(next());
      std::string item;
      while (std::getline(ss, item, ','))
        if (!item.empty())
          opt.Only.push_back(item);
    }
    else if (a == "--inputs")
    {
      opt.Inputs.clear();
      std::stringstream ss(next());
      std::string item;
      while (std::getline(ss, item, ','))
        if (!item.empty())
          opt.Inputs.push_back(item);
    }
    else
    {
      Usage(argv[0]);
      return 2;
    }
  }
  TheOptions = &opt;
  if (opt.Smoke)
  {
    opt.Reps = 1;
    opt.Inputs = { "16" };
  }
  const int threads =
    opt.Threads > 0 ? opt.Threads : vtkMultiThreader::GetGlobalDefaultNumberOfThreads();
  vtkMultiThreader::SetGlobalMaximumNumberOfThreads(0);

  std::printf("GradientOpacityBenchmark: %u hardware threads, %d threads for 'all threads', "
              "%d repetitions, times in ms, load average at start: %s%s\n",
    std::thread::hardware_concurrency(), threads, opt.Reps, LoadAverage().c_str(),
    opt.Smoke ? " (SMOKE MODE: harness check, timings meaningless)" : "");

  std::vector<Summary> summaries;
  for (const auto& spec : opt.Inputs)
  {
    const Input in = MakeInput(spec, opt);
    std::vector<Result> rs;
    std::vector<std::string> notes;
    vtkImageData* image = in.Image;
    const double sigma = 1.0; // world units (mm)

    // One vtkGradientMagnitudeFilter on the input.
    auto filterPipeline = [&](int op, int nt) {
      Pipeline p;
      auto f = vtkSmartPointer<vtkGradientMagnitudeFilter>::New();
      f->SetInputData(image);
      f->SetOperator(op);
      f->SetSigma(sigma);
      f->SetNumberOfThreads(nt);
      p.Filters.push_back(f);
      return p;
    };
    struct OurRoute
    {
      const char* Name;
      int Op;
    };
    for (const OurRoute& route : { OurRoute{ "ours_central", vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE },
           OurRoute{ "ours_sobel", vtkGradientMagnitudeFilter::SOBEL },
           OurRoute{ "ours_gaussian", vtkGradientMagnitudeFilter::GAUSSIAN } })
    {
      std::vector<int> counts = { threads };
      if (threads > 1)
        counts.insert(counts.begin(), 1);
      for (int nt : counts)
      {
        rs.push_back(
          TimePipeline(route.Name, nt, [&]() { return filterPipeline(route.Op, nt); }, opt.Reps));
      }
    }

    // The central row without its AVX-512F form (the AVX2 or portable
    // clone), all threads: the pass the operator targets were first stated
    // against.
    {
      const int previous = go_gradient_set_simd(1);
      rs.push_back(TimePipeline("ours_central_avx2", threads,
        [&]() { return filterPipeline(vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE, threads); },
        opt.Reps));
      go_gradient_set_simd(previous);
      rs.back().Note = "central row without its AVX-512F form";
    }

#ifdef GO_HAVE_AUTO_GRADIENT_OPACITY
    // End to end: gradient + histogram + statistics + curve.
    for (int sampling : { vtkAutoGradientOpacity::GRID, vtkAutoGradientOpacity::SUBVOXEL })
    {
      rs.push_back(TimePipeline(sampling == vtkAutoGradientOpacity::GRID
            ? "ours_auto_gradient_opacity_grid"
            : "ours_auto_gradient_opacity_subvoxel",
        threads,
        [&]() {
          Pipeline p;
          auto a = vtkSmartPointer<vtkAutoGradientOpacity>::New();
          a->SetInputData(image);
          a->SetSampling(sampling);
          a->SetNumberOfThreads(threads);
          p.Filters.push_back(a);
          return p;
        },
        opt.Reps));
      rs.back().Note = "gradient + histogram + curve";
    }
    // The same on a scalars array seen for the first time (fresh): its
    // finite range is not cached yet. VTK's own first-call range alone, for
    // comparison, on the same kind of new array.
    rs.push_back(TimePipeline("ours_auto_subvoxel_new_array", threads,
      [&]() {
        Pipeline p;
        auto a = vtkSmartPointer<vtkAutoGradientOpacity>::New();
        a->SetInputData(NewArrayView(image));
        a->SetNumberOfThreads(threads);
        p.Filters.push_back(a);
        return p;
      },
      opt.Reps));
    rs.back().Note = "fresh: a new scalars array (no cached range)";
    if (Selected("vtk_GetFiniteRange_new_array"))
    {
      Result vr;
      vr.Route = "vtk_GetFiniteRange_new_array";
      vr.Threads = 1;
      for (int i = 0; i < opt.Reps; ++i)
      {
        auto view = NewArrayView(image);
        double range[2];
        double t0 = NowMs(), c0 = CpuMs();
        view->GetPointData()->GetScalars()->GetFiniteRange(range, 0);
        vr.Fresh.push_back(NowMs() - t0);
        vr.FreshCpu.push_back(CpuMs() - c0);
        t0 = NowMs();
        c0 = CpuMs();
        view->GetPointData()->GetScalars()->GetFiniteRange(range, 0);
        vr.Steady.push_back(NowMs() - t0);
        vr.SteadyCpu.push_back(CpuMs() - c0);
      }
      vr.Note = "the range alone; steady = cached on the array";
      rs.push_back(vr);
    }
#else
    notes.push_back("vtkAutoGradientOpacity not in this build: end-to-end route not measured");
#endif

    rs.push_back(TimePipeline("vtk_cast_float+ImageGradientMagnitude", threads,
      [&]() {
        Pipeline p;
        auto cast = vtkSmartPointer<vtkImageCast>::New();
        cast->SetInputData(image);
        cast->SetOutputScalarTypeToFloat();
        auto g = vtkSmartPointer<vtkImageGradientMagnitude>::New();
        g->SetInputConnection(cast->GetOutputPort());
        g->SetDimensionality(3);
        g->HandleBoundariesOn();
        p.Filters = { cast, g };
        return p;
      },
      opt.Reps));
    rs.back().Note = "VTK's correct route";
    rs.push_back(TimePipeline("vtk_ImageGradient+ImageMagnitude", threads,
      [&]() {
        Pipeline p;
        auto g = vtkSmartPointer<vtkImageGradient>::New();
        g->SetInputData(image);
        g->SetDimensionality(3);
        g->HandleBoundariesOn();
        auto m = vtkSmartPointer<vtkImageMagnitude>::New();
        m->SetInputConnection(g->GetOutputPort());
        p.Filters = { g, m };
        return p;
      },
      opt.Reps));
    rs.back().Note = "double output";
    rs.push_back(TimePipeline(std::string("vtk_ImageGradientMagnitude_") + in.TypeName, threads,
      [&]() {
        Pipeline p;
        auto g = vtkSmartPointer<vtkImageGradientMagnitude>::New();
        g->SetInputData(image);
        g->SetDimensionality(3);
        g->HandleBoundariesOn();
        p.Filters = { g };
        return p;
      },
      opt.Reps));
    rs.back().Note = "wraps: wrong output, speed only";

    FloorRoutes(in, threads, opt.Reps, rs);

    const bool wantScipy = opt.Scipy && FileExists(opt.ScipyScript) && Selected("scipy");
    const bool wantItk = opt.Itk && FileExists(opt.ItkExe) && Selected("itk");
    if (wantScipy || wantItk)
    {
      const std::string raw = DumpRaw(in);
      std::ostringstream args;
      args << " " << raw << " " << in.Dims[0] << " " << in.Dims[1] << " " << in.Dims[2] << " "
           << in.TypeName << " " << in.Spacing[0] << " " << in.Spacing[1] << " " << in.Spacing[2]
           << " " << sigma << " " << opt.Reps;
      if (raw.empty())
      {
        notes.push_back("could not write the raw input for the scipy/ITK helpers");
      }
      else
      {
        if (wantScipy)
          RunHelper(opt.Python + " " + opt.ScipyScript + args.str(), "scipy", rs, notes);
        if (wantItk)
          RunHelper(opt.ItkExe + args.str(), "ITK", rs, notes);
        unlink(raw.c_str());
      }
    }
    if (!wantScipy)
      notes.push_back("scipy routes not run (--no-scipy or script missing)");
    if (!wantItk)
      notes.push_back("ITK routes not run (--no-itk, or ITK not found at configure time)");

    rs.erase(std::remove_if(rs.begin(), rs.end(),
               [](const Result& r) { return r.Fresh.empty() && r.Steady.empty(); }),
      rs.end());
    Summary s;
    PrintTable(in, rs, threads, notes, s);
    summaries.push_back(s);
  }

  std::printf("\n== scaling: ours central, float32, medians ==\n");
  std::printf("%-36s %12s | %12s %12s | %12s %10s\n", "input", "voxels", "Mvox/s 1thr",
    "Mvox/s allthr", "Mvox/s fresh", "par.eff.");
  for (const auto& s : summaries)
  {
    std::printf("%-36s %12zu | %12s %12s | %12s %10s\n", s.Label.c_str(), s.Voxels,
      Fmt(s.Voxels / 1e3 / s.OursSteady1, "%.0f").c_str(),
      Fmt(s.Voxels / 1e3 / s.OursSteady, "%.0f").c_str(),
      Fmt(s.Voxels / 1e3 / s.OursFresh, "%.0f").c_str(),
      threads > 1 ? Fmt(100.0 * s.OursSteady1 / (threads * s.OursSteady), "%.0f%%").c_str()
                  : "-");
  }
  std::printf("load average at end: %s\n", LoadAverage().c_str());
  std::printf("GradientOpacityBenchmark: done\n");
  return 0;
}
