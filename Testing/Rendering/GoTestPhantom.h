// Synthetic test volumes shared by the Rendering tests.
#ifndef GoTestPhantom_h
#define GoTestPhantom_h

#include "vtkDataArray.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkPointData.h"
#include "vtkSmartPointer.h"

#include <cmath>
#include <random>
#include <vector>

namespace go_test
{
// Noisy phantom: background 100, a slab of 160 (x in [0.75n, 0.85n)), a
// sphere of 200 and one of 300, blurred by a Gaussian of `blur` voxels (a
// scanner PSF), plus Gaussian noise of std `sigma`. clean/noisy are x-fastest.
struct Phantom
{
  int n = 64;
  double spacing[3] = { 1.0, 1.0, 1.5 };
  double sigma = 5.0;
  double blur = 0.8;
  unsigned seed = 3;
  std::vector<double> clean, noisy;

  size_t Index(int i, int j, int k) const { return (static_cast<size_t>(k) * n + j) * n + i; }

  void Blur1D(std::vector<double>& v, int axis) const
  {
    const int r = static_cast<int>(std::ceil(4 * blur));
    std::vector<double> w(2 * r + 1);
    double sum = 0;
    for (int t = -r; t <= r; ++t)
    {
      sum += w[t + r] = std::exp(-0.5 * t * t / (blur * blur));
    }
    for (double& x : w)
    {
      x /= sum;
    }
    std::vector<double> out(v.size());
    for (int k = 0; k < n; ++k)
    {
      for (int j = 0; j < n; ++j)
      {
        for (int i = 0; i < n; ++i)
        {
          double acc = 0;
          for (int t = -r; t <= r; ++t)
          {
            int c[3] = { i, j, k };
            c[axis] = std::min(std::max(c[axis] + t, 0), n - 1);
            acc += w[t + r] * v[Index(c[0], c[1], c[2])];
          }
          out[Index(i, j, k)] = acc;
        }
      }
    }
    v.swap(out);
  }

  void Generate()
  {
    const size_t nv = static_cast<size_t>(n) * n * n;
    clean.assign(nv, 100.0);
    struct Sphere
    {
      double c[3], r, v;
    };
    const Sphere spheres[2] = { { { 0.32, 0.35, 0.35 }, 0.2, 200.0 },
      { { 0.6, 0.6, 0.6 }, 0.16, 300.0 } };
    for (int k = 0; k < n; ++k)
    {
      for (int j = 0; j < n; ++j)
      {
        for (int i = 0; i < n; ++i)
        {
          double& v = clean[Index(i, j, k)];
          if (i >= static_cast<int>(0.75 * n) && i < static_cast<int>(0.85 * n))
          {
            v = 160.0;
          }
          for (const Sphere& s : spheres)
          {
            const double d[3] = { (i - s.c[0] * n) * spacing[0], (j - s.c[1] * n) * spacing[1],
              (k - s.c[2] * n) * spacing[2] };
            if (std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) < s.r * n)
            {
              v = s.v;
            }
          }
        }
      }
    }
    for (int a = 0; a < 3; ++a)
    {
      this->Blur1D(clean, a);
    }
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0.0, sigma);
    noisy.resize(nv);
    for (size_t t = 0; t < nv; ++t)
    {
      noisy[t] = clean[t] + normal(rng);
    }
  }
};

// An image of the given values (x-fastest) as a point array of type T.
template <typename ArrayT>
vtkSmartPointer<vtkImageData> MakeImage(const std::vector<double>& values, const int dims[3],
  const double spacing[3], const char* name = "scalars")
{
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetDimensions(dims[0], dims[1], dims[2]);
  image->SetSpacing(spacing[0], spacing[1], spacing[2]);
  auto array = vtkSmartPointer<ArrayT>::New();
  array->SetName(name);
  array->SetNumberOfTuples(static_cast<vtkIdType>(values.size()));
  for (size_t t = 0; t < values.size(); ++t)
  {
    array->SetTuple1(static_cast<vtkIdType>(t), values[t]);
  }
  image->GetPointData()->SetScalars(array);
  return image;
}
}

#endif
