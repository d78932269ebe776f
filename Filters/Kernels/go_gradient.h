/*
 * go_gradient.h - C kernels for image gradient and gradient magnitude.
 *
 * Plain C11, no VTK headers. The VTK class vtkGradientMagnitudeFilter only
 * marshals extents, types and options into these structures.
 *
 * Conventions
 * - An image is a strided 3D array of one scalar component. `data` points at
 *   the voxel (extent[0], extent[2], extent[4]); `increments` are element (not
 *   byte) steps between x, y and z neighbours, so a component of a
 *   multi-component array is addressed with increments (ncomp, ncomp*nx, ...).
 * - Edges are applied at the bounds of the input extent. A caller computing a
 *   piece passes the piece padded by go_gradient_radius() voxels and clipped
 *   to the whole extent, so the bounds of the input extent are the bounds of
 *   the whole image wherever an edge rule is used; every output voxel is then
 *   computed with the same arithmetic whatever the piece (bitwise identical).
 * - Derivatives are per world unit along the index axes (divided by the
 *   spacing). An optional 3x3 matrix maps them to world axes before the
 *   magnitude (VTK: the inverse transpose of the direction matrix).
 *
 * Operators (h = spacing of the axis, in world units)
 * - GO_OP_CENTRAL: (f[i+1] - f[i-1]) / (2h), the stencil of VTK's
 *   vtkImageGradient.
 * - GO_OP_SOBEL: derivative [-1 0 1]/(2h) along the axis, smoothing
 *   [1 2 1]/4 along each other axis (the other in-plane axis only when
 *   dimensionality is 2). A unit ramp gives exactly 1. scipy.ndimage.sobel
 *   does not normalise: scipy = ours * 2h * 16 in 3D (* 2h * 4 in 2D), which
 *   is what GO_SOBEL_SCIPY returns (then no division by the spacing).
 * - GO_OP_GAUSSIAN: separable Gaussian derivative with sigma in world units
 *   (sigma_i = sigma / h_i voxels per axis), truncated at radius
 *   r_i = (int)(truncate * sigma_i + 0.5) voxels (scipy's rule; truncate
 *   defaults to 4). Smoothing weights are exp(-k^2 / (2 sigma_i^2)) normalised
 *   to sum 1; derivative weights k exp(...) normalised so that
 *   sum_k k w(k) = 1, hence a linear field gives its exact slope.
 *
 * Edge modes
 * - GO_EDGE_COPY: missing neighbours are the nearest voxel inside the image
 *   (VTK, ITK, scipy mode='nearest'): a half difference at the edge.
 * - GO_EDGE_ONESIDED: the full one-sided difference (f[1]-f[0])/h at the edge
 *   of the derivative axis (numpy.gradient, VTK's fixed-point ray cast
 *   mapper); smoothing axes still use the nearest voxel. The Gaussian
 *   operator always uses mode 'nearest'. An axis of one voxel has derivative 0.
 *
 * Units
 * - GO_UNITS_PHYSICAL: scalar units per world unit (per mm).
 * - GO_UNITS_MAPPER: per-world-unit value times the mean of the three
 *   spacings: the units in which VTK's GPU and fixed-point volume mappers
 *   index the gradient-opacity function (scalar units per average voxel).
 * - GO_UNITS_INDEX: per-world-unit derivative along index axis i times h_i,
 *   i.e. scalar units per voxel step on every axis (spacing ignored): the
 *   units of a mapper fed the voxel array with spacing 1 and the geometry
 *   on the actor (3D Slicer's GPU route).
 *
 * Non-finite input: a NaN or Inf only reaches output voxels whose stencil
 * covers it (radius 1, or the Gaussian radius); nothing is accumulated across
 * voxels, so it never spreads further.
 *
 * Range: sums are evaluated in the working precision (float when the output
 * is float32 and the input is float32 or an integer of at most 16 bits,
 * double otherwise). Smoothed intermediate rows are as large as the input,
 * so finite input with |f| above 1/64 of the largest finite working value
 * (DBL_MAX/64, about 2.8e306; FLT_MAX/64, about 5.3e36) may round to +-Inf
 * and give Inf or NaN; below it, results are finite wherever the true
 * gradient (within its rounding error) fits the output type. A result beyond
 * the output type's range is stored as +-Inf (IEEE conversion).
 */
#ifndef go_gradient_h
#define go_gradient_h

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Scalar types of the input (any) and of the output (float32/float64). */
typedef enum go_scalar_type
{
  GO_INT8 = 0,
  GO_UINT8,
  GO_INT16,
  GO_UINT16,
  GO_INT32,
  GO_UINT32,
  GO_INT64,
  GO_UINT64,
  GO_FLOAT32,
  GO_FLOAT64,
  GO_NUMBER_OF_TYPES
} go_scalar_type;

typedef enum go_operator
{
  GO_OP_CENTRAL = 0,
  GO_OP_SOBEL = 1,
  GO_OP_GAUSSIAN = 2
} go_operator;

typedef enum go_edge_mode
{
  GO_EDGE_COPY = 0,
  GO_EDGE_ONESIDED = 1
} go_edge_mode;

typedef enum go_units
{
  GO_UNITS_PHYSICAL = 0,
  GO_UNITS_MAPPER = 1,
  GO_UNITS_INDEX = 2
} go_units;

typedef enum go_sobel_scale
{
  GO_SOBEL_UNIT = 0, /* unit ramp -> 1 per world unit */
  GO_SOBEL_SCIPY = 1 /* raw stencil sums, equal to scipy.ndimage.sobel */
} go_sobel_scale;

/* How the output array is combined with what it already holds. */
typedef enum go_accumulate
{
  GO_WRITE_MAGNITUDE = 0,    /* out = |g| */
  GO_WRITE_SQUARED = 1,      /* out = |g|^2 (first component of a Jacobian) */
  GO_ADD_SQUARED = 2         /* out += |g|^2 (further components) */
} go_accumulate;

typedef struct go_image
{
  const void* data;        /* voxel (extent[0], extent[2], extent[4]) */
  go_scalar_type type;
  int extent[6];           /* extent held in memory; edges apply at its bounds */
  ptrdiff_t increments[3]; /* element steps along x, y, z */
} go_image;

typedef struct go_output
{
  void* magnitude;         /* voxel (extent[0], extent[2], extent[4]); may be NULL */
  void* vector;            /* 3 interleaved components; may be NULL */
  go_scalar_type type;     /* GO_FLOAT32 or GO_FLOAT64, for both arrays */
  int extent[6];           /* extent of the output arrays in memory */
  ptrdiff_t increments[3]; /* element steps of the magnitude array (vector: x3) */
} go_output;

typedef struct go_options
{
  go_operator op;
  go_edge_mode edge;
  go_units units;
  go_sobel_scale sobel_scale;
  go_accumulate accumulate;
  int dimensionality;      /* 2: no derivative or smoothing along z; 3 */
  double spacing[3];       /* world units, > 0 and finite */
  double sigma;            /* Gaussian sigma, world units, > 0 */
  double truncate;         /* Gaussian radius in sigmas (<= 0: 4) */
  const double* matrix;    /* 3x3 row-major, index-axis -> world gradient; NULL: identity */
} go_options;

typedef enum go_status
{
  GO_OK = 0,
  GO_ERROR_ARGUMENT = -1,  /* NULL pointer, bad enum */
  GO_ERROR_TYPE = -2,      /* unsupported scalar type */
  GO_ERROR_EXTENT = -3,    /* empty extent, or output not inside input */
  GO_ERROR_SPACING = -4,   /* spacing zero, negative or not finite */
  GO_ERROR_SIGMA = -5,     /* sigma not positive/finite, or kernel too large */
  GO_ERROR_MEMORY = -6
} go_status;

/* Fill options with the defaults: central, edge copy, physical units, 3D,
 * unit spacing, sigma 1, truncate 4. */
void go_options_init(go_options* options);

/* Voxels of padding the operator needs on each side along axis (0, 1, 2);
 * 0 when the axis is not differentiated or smoothed. Negative on bad options. */
int go_gradient_radius(const go_options* options, int axis);

/* Compute the gradient magnitude (and optionally vector) of `in` over
 * out_extent, which must lie inside both in->extent and out->extent.
 * Thread-safe; allocates only a few row/slab buffers per call. */
go_status go_gradient_compute(
  const go_image* in, const go_options* options, const int out_extent[6], go_output* out);

/* out = sqrt(out) over an extent: finishes a GO_ADD_SQUARED accumulation. */
go_status go_sqrt_inplace(go_output* out, const int extent[6]);

/* A short English message for a status code. */
const char* go_status_string(go_status status);

/* The widest hand-vectorised forms that may be used, each taken only on
 * CPUs that have it: 2 (the default) AVX-512F, 1 AVX2, 0 none (portable
 * loops). It governs the central and Sobel integer rows' AVX-512F forms and
 * the Gaussian's row loops; below 2 the central and Sobel rows are the
 * compiler's clones (AVX2 where the CPU has it, chosen by the loader, at 1
 * and 0 alike). Every form gives bitwise the same values: the switch lets
 * tests and benchmarks compare them. Not thread-safe: set it before
 * computing. Returns the previous setting. */
int go_gradient_set_simd(int enable);

/* Size in bytes of one element of a go_scalar_type (0 if invalid). */
size_t go_scalar_size(go_scalar_type type);

#ifdef __cplusplus
}
#endif

#endif
