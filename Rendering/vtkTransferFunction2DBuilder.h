/**
 * @class   vtkTransferFunction2DBuilder
 * @brief   Builds the 4-component float image of
 *          vtkVolumeProperty::SetTransferFunction2D with its axes normalised
 *          exactly as the GPU mapper's shader normalises them.
 *
 * vtkGPUVolumeRayCastMapper in TF_2D mode looks the RGBA texture up at
 * (s, t) = ((f - fmin) / R, y) where R = fmax - fmin is the finite range of
 * the rendered array and y is either
 * - the shader's own gradient, clamped g / (0.25 R) with g in mapper units
 *   (see vtkAutoGradientOpacity), or
 * - with vtkGPUVolumeRayCastMapper::SetTransfer2DYAxisArray, the value a of
 *   that array normalised by its own finite range: (a - amin) / (amax - amin).
 * The image's origin and spacing are ignored by the mapper; its texel (i, j)
 * is sampled at s = (i + 0.5) / W, t = (j + 0.5) / H (linear filtering,
 * clamp to edge). The builder therefore evaluates texel (i, j) at
 *   f_i = fmin + R (i + 0.5) / W,  y_j = ymin + (ymax - ymin) (j + 0.5) / H
 * where [ymin, ymax] is the YAxisRange: [0, 0.25 R] for the shader's
 * gradient (UseShaderGradient) or the y-axis array's finite range
 * (UseYAxisArray). RGB = Color(f_i) (grey ramp when no colour function),
 * A = ScalarOpacity(f_i) * GradientOpacity(y_j) (ScalarOpacity default: a
 * constant 0.05; GradientOpacity default 1). Note that the mappers do not
 * correct 2D opacities for the sample distance. The output's origin and
 * spacing are set to f_0, y_0 and the bin sizes, so that the image can be
 * plotted in data units.
 *
 * @sa vtkAutoGradientOpacity vtkGradientHistogram2D vtkVolumeProperty
 */
#ifndef vtkTransferFunction2DBuilder_h
#define vtkTransferFunction2DBuilder_h

#include "GradientOpacityModule.h" // for export macro
#include "vtkObject.h"

class vtkColorTransferFunction;
class vtkDataArray;
class vtkImageData;
class vtkPiecewiseFunction;
class vtkVolume;

class GRADIENTOPACITY_EXPORT vtkTransferFunction2DBuilder : public vtkObject
{
public:
  static vtkTransferFunction2DBuilder* New();
  vtkTypeMacro(vtkTransferFunction2DBuilder, vtkObject);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /**
   * Colour (over scalar values), scalar opacity (over scalar values) and
   * gradient opacity (over the y axis, mapper units). Defaults nullptr.
   */
  void SetColor(vtkColorTransferFunction* f);
  vtkGetObjectMacro(Color, vtkColorTransferFunction);
  void SetScalarOpacity(vtkPiecewiseFunction* f);
  vtkGetObjectMacro(ScalarOpacity, vtkPiecewiseFunction);
  void SetGradientOpacity(vtkPiecewiseFunction* f);
  vtkGetObjectMacro(GradientOpacity, vtkPiecewiseFunction);
  ///@}

  ///@{
  /**
   * Finite range of the rendered array (x axis) and the y-axis range.
   * Defaults [0, 1] and [0, 1].
   */
  vtkSetVector2Macro(ScalarRange, double);
  vtkGetVector2Macro(ScalarRange, double);
  vtkSetVector2Macro(YAxisRange, double);
  vtkGetVector2Macro(YAxisRange, double);
  ///@}

  ///@{
  /**
   * Image size W x H. Default 256 x 256.
   */
  vtkSetVector2Macro(Size, int);
  vtkGetVector2Macro(Size, int);
  ///@}

  /**
   * ScalarRange = the finite range of `scalars`, YAxisRange = [0, 0.25 R]:
   * the shader's own gradient on the y axis.
   */
  void UseShaderGradient(vtkDataArray* scalars);

  /**
   * ScalarRange = the finite range of `scalars`, YAxisRange = the finite
   * range of `yArray`: for vtkGPUVolumeRayCastMapper::SetTransfer2DYAxisArray.
   */
  void UseYAxisArray(vtkDataArray* scalars, vtkDataArray* yArray);

  /**
   * Fill `output` with the W x H x 1, 4-component float image.
   */
  void Build(vtkImageData* output);

  /**
   * Set `tf2d` on the volume's property (component 0) and switch it to TF_2D;
   * with a y-axis array name and a vtkGPUVolumeRayCastMapper, also set the
   * mapper's Transfer2DYAxisArray (nullptr clears it).
   */
  static void ApplyTo(vtkVolume* volume, vtkImageData* tf2d, const char* yAxisArray = nullptr);

protected:
  vtkTransferFunction2DBuilder();
  ~vtkTransferFunction2DBuilder() override;

  vtkColorTransferFunction* Color;
  vtkPiecewiseFunction* ScalarOpacity;
  vtkPiecewiseFunction* GradientOpacity;
  double ScalarRange[2];
  double YAxisRange[2];
  int Size[2];

private:
  vtkTransferFunction2DBuilder(const vtkTransferFunction2DBuilder&) = delete;
  void operator=(const vtkTransferFunction2DBuilder&) = delete;
};

#endif
