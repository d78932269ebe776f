/*
 * go_autoopacity.h - C kernels behind vtkAutoGradientOpacity: gradient
 * samples, weighted log-histogram, noise floor, edge strength, the curve.
 *
 * Plain C11, no VTK headers. Images use go_image from go_gradient.h.
 *
 * Units. Every gradient value here is in "mapper units": scalar units per
 * average voxel, g = |grad f|_physical * (h_x + h_y + h_z) / 3, which is
 * what VTK's GPU and fixed-point ray cast mappers compute before dividing
 * by gmax = 0.25 * R (R = finite scalar range) and looking the result up in
 * the gradient-opacity table sampled over [0, gmax].
 *
 * Histogram. Bins are uniform in u = ln(g / gmax) over [log_lo, 0]
 * (log_lo < 0, default ln(1e-5)); a value above gmax goes to the last bin
 * (the mapper clamps it to the last table entry), a positive value below
 * gmax * exp(log_lo) to the first; g == 0 and non-finite g are counted
 * apart and never binned. Because the bins are relative to gmax, f -> a f + b
 * moves every sample and every bin by the same factor |a|.
 */
#ifndef go_autoopacity_h
#define go_autoopacity_h

#include "go_gradient.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A sampled function (e.g. the scalar opacity) over [lo, hi]: value v maps
 * to table[round((v - lo) / (hi - lo) * (size - 1))], clamped to the ends. */
typedef struct go_ao_lut
{
  const float* table;
  int size;
  double lo, hi;
} go_ao_lut;

/* Per-voxel weights over the whole extent of `scalars` (x fastest):
 * w = lut(f) (1 when lut is NULL), times 0 where mask != 0 is false (mask
 * may be NULL; same extent as scalars), times 0 where f is not finite. */
go_status go_ao_grid_weights(
  const go_image* scalars, const go_image* mask, const go_ao_lut* lut, float* w);

/* Sub-voxel samples: what a GPU ray sees. n positions p in the box of voxel
 * centres [0, N_i - 1] (index space), jittered-stratified: sample s lies in
 * cell floor((s + u) C / n) of the C cells in raster order (x fastest) at a
 * uniform point inside it, u and the point drawn from a hash of (seed, s), so
 * the samples cover the volume evenly and in memory order. With magnitude == 0 `image` holds raw scalars and
 *   g(p) = sqrt(sum_i ((F(p + s_i e_i) - F(p - s_i e_i)) / (2 h_i / hbar))^2)
 * with F the trilinear interpolant clamped to the box (GL_CLAMP_TO_EDGE),
 * hbar the mean spacing and s_i = N_i / (N_i - 1) voxels: the GPU mapper's
 * texture step 1/(N_i - 1) in texture coordinates that span N_i texels
 * (vtkVolumeTexture::CellStep), so a linear ramp reads N/(N-1) times its
 * slope. An axis with N_i == 1 contributes 0. With magnitude != 0 `image` is
 * a precomputed magnitude and g(p) = F(p). Weights: lut(F(p)) of `values`
 * (raw scalars, may be NULL -> 1) times the mask at the nearest voxel.
 * Samples with a non-finite g get weight 0. v (may be NULL) receives F(p)
 * of `values` (0 when values is NULL). Arithmetic of g from raw scalars:
 * float for 8- and 16-bit types (the voxels are exact; rounding ~1e-7 of
 * the largest voxel read), double otherwise, with p +- s placed to float
 * precision (~6e-8 voxel; GPUs interpolate with 8-bit weights); the same
 * for every thread split and with or without the AVX2 form
 * (go_ao_set_simd). */
go_status go_ao_subvoxel_samples(const go_image* image, int magnitude, const go_image* values,
  const go_image* mask, const go_ao_lut* lut, const double spacing[3], size_t n, uint64_t seed,
  float* g, float* w, float* v);

/* Samples s0 <= s < s1 of the same sequence of n (written to g[s - s0], ...):
 * threads that split [0, n) get exactly the samples of one call. */
go_status go_ao_subvoxel_samples_range(const go_image* image, int magnitude,
  const go_image* values, const go_image* mask, const go_ao_lut* lut, const double spacing[3],
  size_t n, uint64_t seed, size_t s0, size_t s1, float* g, float* w, float* v);

/* The raster cell (x fastest over the cells between voxel centres of an
 * image of dims voxels; an axis of one voxel has one cell) in which sample s
 * of the sequence of n lies. Non-decreasing in s, so the samples of a run of
 * consecutive cells are a contiguous range of s: a caller that holds part of
 * the volume finds the samples of the cells it owns by bisection. */
size_t go_ao_subvoxel_cell(const int dims[3], size_t n, uint64_t seed, size_t s);

/* go_ao_subvoxel_samples_range over the box of the extent `whole` (sample
 * positions, steps s_i = N_i / (N_i - 1) and clamping of an image of that
 * extent), from images that hold only a sub-extent of it (image, values and
 * mask each with their own extent inside `whole`, e.g. a piece with ghost
 * layers under MPI). Every voxel a sample of [s0, s1) reads must be held:
 * along each axis max(c - 2, 0) .. min(c + 3, N - 1) of `image` for raw
 * scalars (magnitude == 0, the six reads at p +- s_i), c .. c + 1 otherwise
 * and of values and mask (c: the sample's cell); if not, GO_ERROR_ARGUMENT
 * and nothing is written. The samples are bitwise those the whole image
 * gives. */
go_status go_ao_subvoxel_samples_piece(const go_image* image, int magnitude,
  const go_image* values, const go_image* mask, const go_ao_lut* lut, const int whole[6],
  const double spacing[3], size_t n, uint64_t seed, size_t s0, size_t s1, float* g, float* w,
  float* v);

/* The widest hand-vectorised forms the sampler and the histogram may use,
 * each taken only on CPUs that have it: 2 (the default) AVX-512F (with DQ
 * for the histogram), 1 AVX2,
 * 0 none. Every form gives bitwise the same samples and the same counts:
 * this switch exists so that tests and benchmarks can compare them. Not
 * thread-safe: set it before sampling. Returns the previous setting. */
int go_ao_set_simd(int enable);

typedef struct go_ao_counts
{
  size_t n_binned;     /* samples with g > 0, finite, weight > 0 */
  size_t n_zero;       /* g == 0 (excluded) */
  size_t n_nonfinite;  /* NaN / Inf g (excluded) */
  double total_weight; /* sum of weights of the binned samples */
} go_ao_counts;

/* Weighted histogram of ln(g / gmax) (w may be NULL: weight 1). counts has
 * nbins entries and is overwritten. */
go_status go_ao_histogram(const float* g, const float* w, size_t n, double gmax, double log_lo,
  int nbins, double* counts, go_ao_counts* info);

/* go_ao_histogram's bins as a table over the float bit patterns of g, for
 * many calls with the same (gmax, log_lo, nbins): the bin edges are found
 * once (the first positive float of every bin under go_ao_histogram's own
 * formula, which is non-decreasing in g), then a value's bin is one table
 * lookup and one comparison instead of a logarithm. */
typedef struct go_ao_bin_cell
{
  uint32_t edge; /* the pattern in the cell where the next bin starts (or above the cell) */
  int32_t base;  /* bin of the first pattern of the cell */
} go_ao_bin_cell;

/* The arithmetic form of the same bins (AVX2 with FMA; see go_ao_binner_init):
 * t = (e - e0) k + d[j] + q(r) in float, for x = 2^e m (e clamped to
 * [e_min, e_max], biased), j the top three bits of the mantissa m,
 * r = m inv_c[j] - 1 and q(r) = ln(1 + r) to_bins by its series to r^5;
 * floor(t) is the bin unless t lies within GO_AO_ARITH_MARGIN of an
 * integer k, where the edge pattern edges[k] decides. */
#define GO_AO_ARITH_MARGIN (1.0f / 256.0f)

typedef struct go_ao_arith
{
  int usable;       /* 0: the bins are outside what the float form can resolve */
  int e_min, e_max; /* biased exponents the clamp keeps; below/above: first/last bin */
  int e0;           /* biased exponent of t's origin */
  float k;          /* ln 2 * to_bins */
  float inv_c[8], d[8]; /* ~1 / (centre of the j-th eighth of [1, 2)), offsets */
  float q[5]; /* coefficients of q(r) / r in powers of r */
} go_ao_arith;

typedef struct go_ao_binner
{
  int nbins;
  int shift;           /* a cell holds the 2^shift bit patterns with one (u >> shift) */
  uint32_t first_cell; /* u >> shift of the first edge */
  size_t ncells;       /* cells from first_cell on */
  go_ao_bin_cell* cells; /* ncells + 2: one below first_cell (bin 0), one above (last bin) */
  uint32_t* edges;       /* nbins: edges[k] = first pattern of bin >= k (k >= 1) */
  go_ao_arith arith;
} go_ao_binner;

/* Build the table; GO_ERROR_ARGUMENT for invalid arguments or bins too
 * narrow for a table (then use go_ao_histogram), GO_ERROR_MEMORY. */
go_status go_ao_binner_init(go_ao_binner* binner, double gmax, double log_lo, int nbins);
void go_ao_binner_free(go_ao_binner* binner);

/* go_ao_histogram(g, w, n, gmax, log_lo, nbins, counts, info) with the
 * binner's arguments: the same counts and info. Without weights, on CPUs
 * with AVX2 and FMA (and go_ao_set_simd on), the positive finite values are
 * binned by the arithmetic form (zeros, negatives and non-finite values are
 * only counted), sixteen at a time with AVX-512F and DQ; otherwise by the
 * table. */
go_status go_ao_histogram_binned(const go_ao_binner* binner, const float* g, const float* w,
  size_t n, double* counts, go_ao_counts* info);

/* Joint histogram on the shader's 2D axes: x = clamp((v - vmin) / vspan),
 * y = clamp((g - ymin) / yspan), both in [0, 1], nx * ny bins (x fastest),
 * weights w (may be NULL); samples with a non-finite v or g are skipped.
 * counts is overwritten. */
go_status go_ao_histogram2d(const float* v, const float* g, const float* w, size_t n, double vmin,
  double vspan, double ymin, double yspan, int nx, int ny, double* counts);

/* Kindlmann-Durkin accumulation: for samples with g > gmin (and finite v,
 * g, h) adds the weight w = g^power, w g and w h to the value bin of
 * x = clamp((v - vmin) / vspan) (nv bins: cnt1, sum_g1, sum_h1) and w, w h to
 * the (value, gradient) bin with y = clamp(g / gspan) (nv * ng bins, x
 * fastest: cnt2, sum_h2); n1 (may be NULL) counts samples per value bin. All
 * arrays are accumulated into (zero them first). */
go_status go_kd_accumulate(const float* v, const float* g, const float* h, size_t n, double power,
  double* n1, double gmin,
  double vmin, double vspan, double gspan, int nv, int ng, double* cnt1, double* sum_g1,
  double* sum_h1, double* cnt2, double* sum_h2);

/* h = n . grad(g) with n = grad f / |grad f| for n voxels (3-component
 * vectors, interleaved); 0 where |grad f| == 0. */
void go_kd_directional(const float* grad_f, const float* grad_g, size_t n, float* h);

/* Gaussian smoothing of a histogram (sigma in bins, truncated at 4 sigma,
 * renormalised at the ends so that no weight leaks out). */
void go_ao_smooth(const double* in, double* out, int nbins, double sigma);

/* u = ln(g / gmax) at which the cumulative weight of counts[first..] reaches
 * q * (its total), linear inside a bin. Returns 1 (no weight) if empty. */
double go_ao_quantile(const double* counts, int nbins, double log_lo, int first, double q);

/* Centre of bin b in u = ln(g / gmax). */
double go_ao_bin_centre(int b, int nbins, double log_lo);
/* Bin of a u value (clamped). */
int go_ao_bin_of(double u, int nbins, double log_lo);

/* Robust noise sigma of raw scalars from first differences along x, y and z
 * (pairs with both voxels inside the mask and finite):
 *   sigma = 1.4826 * median(|d - median(d)|) / sqrt(2).
 * At most max_pairs differences are used (a deterministic stride). Returns
 * 0 when there are no pairs. */
double go_ao_mad_sigma(const go_image* scalars, const go_image* mask, size_t max_pairs);

/* The max_pairs vtkAutoGradientOpacity (and its MPI variant) use: the MAD of
 * 2^16 differences has a relative standard error of about 0.5 %, far inside
 * the factor-2 tolerance the cross-check applies. */
#define GO_AO_MAD_MAX_PAIRS 65536

typedef struct go_ao_params
{
  double k;               /* low threshold = k * noise floor */
  double predicted_floor; /* MAD-based noise floor, mapper units (<= 0: none) */
  double floor_tolerance; /* mode is clamped to [pred / tol, pred * tol] */
  double high_min_ratio;  /* high >= high_min_ratio * low (1.5) */
} go_ao_params;

typedef struct go_ao_result
{
  double noise_floor_mode; /* mode of the smoothed histogram below the median */
  double noise_floor;      /* after the cross-check with predicted_floor */
  double median;           /* weighted median of all binned g */
  double low, high;        /* thresholds */
  double edge_strength;    /* weighted median of g above low, clamped */
  int valid;               /* 0 when there was nothing to bin */
} go_ao_result;

/* n samples of unit Gaussian white noise (Box-Muller on a splitmix64
 * sequence from seed): the calibration image of the MAD cross-check. */
void go_ao_gaussian_noise(float* out, size_t n, uint64_t seed);

/* Steps 3 and 4 of the algorithm (see vtkAutoGradientOpacity.h). */
void go_ao_thresholds(const double* counts, const double* smoothed, int nbins, double log_lo,
  double gmax, const go_ao_params* params, go_ao_result* result);

/* The ramp: 0 below low, 1 above high, smoothstep in
 * t = ln(g / low) / ln(high / low) in between, mapped to [min_opacity, 1]. */
double go_ao_ramp(double g, double low, double high, double min_opacity);

/* Control points of the curve: (0, m), (low, m), n_ramp - 1 interior points
 * of the ramp, (high, 1), (gmax, 1) when gmax > high. xs, ys need
 * n_ramp + 3 entries. Returns the number of points written. */
int go_ao_curve(double low, double high, double gmax, double min_opacity, int n_ramp,
  double* xs, double* ys);

#ifdef __cplusplus
}
#endif

#endif
