#include "vtkGradientMagnitudeFilter.h"

#include "vtkDataArray.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkPointData.h"

#include <cstdio>

int main()
{
  vtkNew<vtkImageData> image;
  image->SetDimensions(5, 5, 5);
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  auto* p = static_cast<unsigned char*>(image->GetScalarPointer());
  for (int i = 0; i < 125; ++i)
    p[i] = static_cast<unsigned char>(50 * (i % 5)); // 50 per voxel along x
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->Update();
  const double g = filter->GetOutput()->GetPointData()->GetScalars()->GetComponent(62, 0);
  std::printf("consumer: |grad f| = %g\n", g);
  return g == 50.0 ? 0 : 1;
}
