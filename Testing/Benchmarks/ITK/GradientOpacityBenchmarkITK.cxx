// ITK peer routes for GradientOpacityBenchmark: reads a raw volume written by
// the benchmark, times itk::GradientMagnitudeImageFilter and
// itk::GradientMagnitudeRecursiveGaussianImageFilter (float32 output) fresh
// (new filter and output each repetition) and steady (same filter re-executed
// after Modified()), and prints one machine-readable line per route:
//   ROW <route> <threads> <fresh|steady> <t0_ms> <t1_ms> ...   (wall time)
//   CPU <route> <threads> <fresh|steady> <t0_ms> <t1_ms> ...   (process CPU time)
// usage: GradientOpacityBenchmarkITK file.raw nx ny nz uint8|uint16 sx sy sz sigma reps
#include "itkGradientMagnitudeImageFilter.h"
#include "itkGradientMagnitudeRecursiveGaussianImageFilter.h"
#include "itkImage.h"
#include "itkImportImageFilter.h"
#include "itkMultiThreaderBase.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace
{
double Now()
{
  return std::chrono::duration<double, std::milli>(
    std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

double CpuMs()
{
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void Print(const char* tag, const char* route, int threads, const char* mode,
  const std::vector<double>& t)
{
  std::printf("%s %s %d %s", tag, route, threads, mode);
  for (double v : t)
  {
    std::printf(" %.4f", v);
  }
  std::printf("\n");
  std::fflush(stdout);
}

template <typename TPixel>
int Run(const std::string& path, const size_t dims[3], const double spacing[3], double sigma,
  int reps)
{
  using InImage = itk::Image<TPixel, 3>;
  using OutImage = itk::Image<float, 3>;
  const size_t n = dims[0] * dims[1] * dims[2];
  std::vector<TPixel> buffer(n);
  std::ifstream f(path, std::ios::binary);
  if (!f.read(reinterpret_cast<char*>(buffer.data()), n * sizeof(TPixel)))
  {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  using Import = itk::ImportImageFilter<TPixel, 3>;
  auto import = Import::New();
  typename Import::SizeType size;
  typename Import::IndexType start;
  start.Fill(0);
  double origin[3] = { 0, 0, 0 };
  for (int a = 0; a < 3; ++a)
  {
    size[a] = dims[a];
  }
  typename Import::RegionType region(start, size);
  import->SetRegion(region);
  import->SetOrigin(origin);
  import->SetSpacing(spacing);
  import->SetImportPointer(buffer.data(), n, false);
  import->Update();
  typename InImage::Pointer image = import->GetOutput();
  image->DisconnectPipeline();
  const int threads = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads();

  auto time = [&](const char* route, auto make) {
    std::vector<double> fresh, steady, freshCpu, steadyCpu;
    for (int r = 0; r < reps; ++r)
    {
      const double t0 = Now(), c0 = CpuMs();
      auto filter = make();
      filter->Update();
      fresh.push_back(Now() - t0);
      freshCpu.push_back(CpuMs() - c0);
    }
    auto filter = make();
    filter->Update();
    for (int r = 0; r < reps; ++r)
    {
      const double t0 = Now(), c0 = CpuMs();
      filter->Modified();
      filter->Update();
      steady.push_back(Now() - t0);
      steadyCpu.push_back(CpuMs() - c0);
    }
    Print("ROW", route, threads, "fresh", fresh);
    Print("ROW", route, threads, "steady", steady);
    Print("CPU", route, threads, "fresh", freshCpu);
    Print("CPU", route, threads, "steady", steadyCpu);
  };

  time("itk_GradientMagnitude", [&]() {
    auto g = itk::GradientMagnitudeImageFilter<InImage, OutImage>::New();
    g->SetInput(image);
    g->SetUseImageSpacing(true);
    return g;
  });
  time("itk_GradientMagnitudeRecursiveGaussian", [&]() {
    auto g = itk::GradientMagnitudeRecursiveGaussianImageFilter<InImage, OutImage>::New();
    g->SetInput(image);
    g->SetSigma(sigma);
    return g;
  });
  return 0;
}
}

int main(int argc, char* argv[])
{
  if (argc != 11)
  {
    std::fprintf(stderr,
      "usage: %s file.raw nx ny nz uint8|uint16 sx sy sz sigma reps\n", argv[0]);
    return 2;
  }
  const size_t dims[3] = { std::strtoul(argv[2], nullptr, 10), std::strtoul(argv[3], nullptr, 10),
    std::strtoul(argv[4], nullptr, 10) };
  const double spacing[3] = { std::atof(argv[6]), std::atof(argv[7]), std::atof(argv[8]) };
  const double sigma = std::atof(argv[9]);
  const int reps = std::atoi(argv[10]);
  const std::string type = argv[5];
  if (type == "uint8")
  {
    return Run<unsigned char>(argv[1], dims, spacing, sigma, reps);
  }
  if (type == "uint16")
  {
    return Run<unsigned short>(argv[1], dims, spacing, sigma, reps);
  }
  std::fprintf(stderr, "unsupported type %s\n", type.c_str());
  return 2;
}
