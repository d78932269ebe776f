#include "vtkPAutoGradientOpacity.h"

#include "go_autoopacity.h"
#include "vtkGradientOpacityArrays.h"
#include "vtkGradientOpacityInputArray.h"
#include "vtkGradientOpacityRoute.h"
#include "vtkGradientOpacityStatistics.h"

#include "vtkAutoGradientOpacity.h"
#include "vtkGradientMagnitudeFilter.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkExtentTranslator.h"
#include "vtkFieldData.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkMultiProcessController.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkSmartPointer.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTable.h"
#include "vtkVolumeProperty.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

vtkStandardNewMacro(vtkPAutoGradientOpacity);

namespace
{
using gradientopacity::GoTypeOf;

// go_image view of component 0 of `array` (laid out over `dataExt`)
// restricted to the sub-extent `ext`.
bool MakeView(vtkDataArray* array, const int dataExt[6], const int ext[6], go_image& im)
{
  if (!array || !GoTypeOf(array->GetDataType(), im.type))
  {
    return false;
  }
  const vtkIdType nx = dataExt[1] - dataExt[0] + 1;
  const vtkIdType ny = dataExt[3] - dataExt[2] + 1;
  const vtkIdType nc = array->GetNumberOfComponents();
  const vtkIdType start =
    (ext[0] - dataExt[0]) + nx * ((ext[2] - dataExt[2]) + ny * (ext[4] - dataExt[4]));
  im.data = array->GetVoidPointer(start * nc);
  std::copy(ext, ext + 6, im.extent);
  im.increments[0] = nc;
  im.increments[1] = nc * nx;
  im.increments[2] = nc * nx * ny;
  return true;
}

bool EmptyExtent(const int e[6])
{
  return e[1] < e[0] || e[3] < e[2] || e[5] < e[4];
}

bool Contains(const int outer[6], const int inner[6])
{
  return outer[0] <= inner[0] && inner[1] <= outer[1] && outer[2] <= inner[2] &&
    inner[3] <= outer[3] && outer[4] <= inner[4] && inner[5] <= outer[5];
}


// k-th order statistic (the median go_ao_mad_sigma takes is element n/2).
double Select(std::vector<double>& v, size_t k)
{
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}
}

struct vtkPAutoGradientOpacity::Internals
{
  vtkNew<vtkPiecewiseFunction> Function;
  int Piece = 0;
  int NumberOfPieces = 1;
  bool Reduce = false;
  int Owned[6] = { 0, -1, 0, -1, 0, -1 };
  int Requested[6] = { 0, -1, 0, -1, 0, -1 };
  int Pad = 1; // stencil radius (>= 1) the reduced route trims off piece borders
  // The renderer profile's route of the last reduced run (spacing the
  // sampler sees, units, sampling, edge rule, 8-bit quantisation), computed
  // by the serial class's own gradientopacity::RouteFor.
  gradientopacity::Route Route;

  // Statistics of the last run (the names of vtkAutoGradientOpacity's table).
  gradientopacity::Statistics Stats;
  double LargestFraction = 0.0; // largest share of the volume a rank received

  bool SubVoxelHistogram(vtkPAutoGradientOpacity* self, vtkImageData* input,
    vtkDataArray* scalars, vtkDataArray* mask, const int inExt[6], const int whole[6],
    const double spacing[3], const std::vector<std::pair<size_t, size_t>>& runs,
    const double range[2], bool active, double* gcounts);
  bool NoiseCounts(vtkPAutoGradientOpacity* self, const double spacing[3], const int cdims[3],
    double unitMax, double logLo, std::vector<double>& counts);
};

//------------------------------------------------------------------------------
// The unit white-noise histogram of the MAD cross-check, drawn as
// vtkAutoGradientOpacity draws it: the same noise image (the true spacing),
// operator and route (GRID: every voxel, 8-bit quantised over unitMax for
// the CPU profiles; SUBVOXEL: 65536 samples of the same seed at the route's
// spacing; the route's units and edge rule). The weights are 0/1, so the
// counts do not depend on how they are summed.
bool vtkPAutoGradientOpacity::Internals::NoiseCounts(vtkPAutoGradientOpacity* self,
  const double spacing[3], const int cdims[3], double unitMax, double logLo,
  std::vector<double>& counts)
{
  vtkNew<vtkImageData> noise;
  noise->SetDimensions(const_cast<int*>(cdims));
  noise->SetSpacing(spacing[0], spacing[1], spacing[2]);
  vtkNew<vtkFloatArray> na;
  na->SetName("noise");
  na->SetNumberOfTuples(noise->GetNumberOfPoints());
  go_ao_gaussian_noise(
    na->GetPointer(0), static_cast<size_t>(na->GetNumberOfTuples()), 0x9015e5eedull);
  noise->GetPointData()->SetScalars(na);
  const gradientopacity::Route& route = this->Route;
  const bool subvoxel = route.Sampling == vtkAutoGradientOpacity::SUBVOXEL;
  const bool shader =
    subvoxel && self->Operator == vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE;
  vtkSmartPointer<vtkDataArray> nm;
  if (!shader)
  {
    vtkNew<vtkGradientMagnitudeFilter> filter;
    filter->SetInputData(noise);
    filter->SetOperator(self->Operator);
    filter->SetSigma(self->Sigma);
    filter->SetEdgeMode(route.EdgeMode);
    filter->SetUnits(route.Units);
    filter->SetOutputScalarTypeToFloat();
    filter->SetComponent(0);
    filter->Update();
    nm = filter->GetOutput()->GetPointData()->GetScalars();
    if (!nm || nm->GetNumberOfTuples() != noise->GetNumberOfPoints())
    {
      return false;
    }
  }
  const int nbins = static_cast<int>(counts.size());
  if (!subvoxel)
  {
    std::vector<float> ng(nm->GetNumberOfTuples());
    const double toLevel = 255.0 / unitMax, toG = unitMax / 255.0;
    for (vtkIdType i = 0; i < nm->GetNumberOfTuples(); ++i)
    {
      const double v = nm->GetComponent(i, 0);
      ng[i] = route.Quantize8 ? gradientopacity::Quantize8(v, toLevel, toG) : static_cast<float>(v);
    }
    return go_ao_histogram(ng.data(), nullptr, ng.size(), unitMax, logLo, nbins, counts.data(),
             nullptr) == GO_OK;
  }
  int ext[6];
  noise->GetExtent(ext);
  go_image sim, gim;
  if (!MakeView(na, ext, ext, sim) || (nm && !MakeView(nm, ext, ext, gim)))
  {
    return false;
  }
  const size_t n = 65536;
  std::vector<float> g(n), w(n);
  const uint64_t seed = 0x5eed0000ull + static_cast<uint64_t>(self->RandomSeed);
  return go_ao_subvoxel_samples(shader ? &sim : &gim, shader ? 0 : 1, &sim, nullptr, nullptr,
           route.Spacing, n, seed, g.data(), w.data(), nullptr) == GO_OK &&
    go_ao_histogram(g.data(), w.data(), n, unitMax, logLo, nbins, counts.data(), nullptr) == GO_OK;
}

//------------------------------------------------------------------------------
// The sub-voxel histogram of the reduced route: this rank draws the samples
// of the serial sequence (n, seed as vtkAutoGradientOpacity) that fall in
// the cells it owns (`runs`), from its piece. Unit weights (no scalar
// opacity; a 0/1 mask): integer counts, summed over ranks exactly in any
// order. Scalar-opacity weights: the owned samples (index, g, w) go to rank
// 0, which puts them back in sequence order and bins them in the serial
// class's chunks of 8192 samples, the chunk histograms added in chunk order
// (vtkAutoGradientOpacity's HistogramJob): bitwise the serial sums, whatever
// the rank count; n floats travel, not the volume. Collective: every rank
// calls it. Returns false (after an error message) when the samples did not
// come out exactly once each or the sampler failed.
bool vtkPAutoGradientOpacity::Internals::SubVoxelHistogram(vtkPAutoGradientOpacity* self,
  vtkImageData* input, vtkDataArray* scalars, vtkDataArray* mask, const int inExt[6],
  const int whole[6], const double spacing[3], const std::vector<std::pair<size_t, size_t>>& runs,
  const double range[2], bool active, double* gcounts)
{
  vtkMultiProcessController* ctl = self->Controller;
  const int rank = ctl->GetLocalProcessId();
  const int nproc = ctl->GetNumberOfProcesses();
  const int nbins = self->NumberOfBins;
  const double logLo = -std::log(self->DynamicRange);
  const double gmax = 0.25 * (range[1] - range[0]);
  int dims[3];
  long long nvox = 1;
  for (int a = 0; a < 3; ++a)
  {
    dims[a] = whole[2 * a + 1] - whole[2 * a] + 1;
    nvox *= dims[a];
  }
  vtkIdType nSamples = self->NumberOfSamples;
  if (nSamples <= 0)
  {
    nSamples = static_cast<vtkIdType>(std::min<long long>(std::max<long long>(nvox, 65536), 262144));
  }
  const size_t n = static_cast<size_t>(nSamples);
  const uint64_t seed = 0x5eed0000ull + static_cast<uint64_t>(self->RandomSeed);
  const size_t chunk = 8192; // vtkAutoGradientOpacity's sub-voxel chunk
  const bool weighted = self->ScalarOpacity != nullptr;
  const bool precomputed = self->GradientArrayName && *self->GradientArrayName;
  const bool shader =
    !precomputed && self->Operator == vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE;

  bool ok = true;
  std::vector<double> counts(nbins, 0.0), part(nbins, 0.0);
  std::vector<long long> ls; // weighted: owned samples (index, g, w)
  std::vector<float> lg, lw;
  long long drawn = 0;
  if (active && !runs.empty())
  {
    go_image sim, mim, gim;
    if (!MakeView(scalars, inExt, inExt, sim))
    {
      vtkErrorWithObjectMacro(self, "Unsupported scalar type " << scalars->GetDataTypeAsString());
      ok = false;
    }
    const bool haveMask = ok && mask && MakeView(mask, inExt, inExt, mim);
    vtkSmartPointer<vtkDataArray> magnitude;
    if (ok && precomputed)
    {
      magnitude = input->GetPointData()->GetArray(self->GradientArrayName);
      if (!magnitude)
      {
        vtkErrorWithObjectMacro(self, "No point array named " << self->GradientArrayName);
        ok = false;
      }
    }
    else if (ok && !shader)
    {
      vtkNew<vtkImageData> copy;
      copy->SetExtent(const_cast<int*>(inExt));
      copy->SetSpacing(spacing[0], spacing[1], spacing[2]);
      copy->SetOrigin(input->GetOrigin());
      copy->GetPointData()->SetScalars(scalars);
      vtkNew<vtkGradientMagnitudeFilter> filter;
      filter->SetInputData(copy);
      filter->SetOperator(self->Operator);
      filter->SetSigma(self->Sigma);
      filter->SetEdgeMode(this->Route.EdgeMode);
      filter->SetUnits(this->Route.Units);
      filter->SetOutputScalarTypeToFloat();
      filter->SetComponent(0);
      if (self->NumberOfThreads > 0)
      {
        filter->SetNumberOfThreads(self->NumberOfThreads);
      }
      filter->Update();
      magnitude = filter->GetOutput()->GetPointData()->GetScalars();
      if (!magnitude || magnitude->GetNumberOfTuples() != input->GetNumberOfPoints())
      {
        vtkErrorWithObjectMacro(self, "Gradient computation failed.");
        ok = false;
      }
    }
    if (ok && magnitude && !MakeView(magnitude, inExt, inExt, gim))
    {
      vtkErrorWithObjectMacro(self, "Unsupported gradient array type.");
      ok = false;
    }
    // Scalar-opacity weights, sampled over the global range as the serial class does.
    std::vector<float> lutTable;
    go_ao_lut lut = {};
    if (weighted)
    {
      lutTable.resize(4096);
      self->ScalarOpacity->GetTable(range[0], range[1], 4096, lutTable.data());
      lut.table = lutTable.data();
      lut.size = 4096;
      lut.lo = range[0];
      lut.hi = range[1];
    }
    // First sample whose cell is >= q (cells are non-decreasing in s).
    auto firstSample = [&](size_t q) {
      size_t lo = 0, hi = n;
      while (lo < hi)
      {
        const size_t mid = lo + (hi - lo) / 2;
        if (go_ao_subvoxel_cell(dims, n, seed, mid) < q)
        {
          lo = mid + 1;
        }
        else
        {
          hi = mid;
        }
      }
      return lo;
    };
    std::vector<float> g(chunk), w(chunk);
    for (size_t r = 0; ok && r < runs.size(); ++r)
    {
      const size_t sa = firstSample(runs[r].first), sb = firstSample(runs[r].second + 1);
      for (size_t s0 = sa; ok && s0 < sb; s0 += chunk)
      {
        const size_t s1 = std::min(sb, s0 + chunk);
        if (go_ao_subvoxel_samples_piece(shader ? &sim : &gim, shader ? 0 : 1, &sim,
              haveMask ? &mim : nullptr, weighted ? &lut : nullptr, whole, this->Route.Spacing, n,
              seed, s0,
              s1, g.data(), w.data(), nullptr) != GO_OK)
        {
          vtkErrorWithObjectMacro(self, "Sub-voxel samples " << s0 << ".." << s1
                                                             << " failed on this piece.");
          ok = false;
          break;
        }
        drawn += static_cast<long long>(s1 - s0);
        if (weighted)
        {
          for (size_t s = s0; s < s1; ++s)
          {
            ls.push_back(static_cast<long long>(s));
          }
          lg.insert(lg.end(), g.begin(), g.begin() + (s1 - s0));
          lw.insert(lw.end(), w.begin(), w.begin() + (s1 - s0));
        }
        else
        {
          go_ao_histogram(g.data(), w.data(), s1 - s0, gmax, logLo, nbins, part.data(), nullptr);
          for (int b = 0; b < nbins; ++b)
          {
            counts[b] += part[b];
          }
        }
      }
    }
  }
  int flags[2] = { ok ? 1 : 0, active ? 1 : 0 }, gflags[2] = { 0, 0 };
  ctl->AllReduce(flags, gflags, 2, vtkCommunicator::MIN_OP);
  long long gdrawn = 0;
  ctl->AllReduce(&drawn, &gdrawn, 1, vtkCommunicator::SUM_OP);
  bool placed = true;
  if (!weighted)
  {
    ctl->AllReduce(counts.data(), gcounts, nbins, vtkCommunicator::SUM_OP);
  }
  else
  {
    vtkIdType nlocal = static_cast<vtkIdType>(ls.size());
    std::vector<vtkIdType> lengths(nproc, 0), offsets(nproc, 0);
    ctl->Gather(&nlocal, lengths.data(), 1, 0);
    vtkIdType total = 0;
    for (int p = 0; p < nproc; ++p)
    {
      offsets[p] = total;
      total += lengths[p];
    }
    std::vector<long long> as(rank == 0 ? std::max<vtkIdType>(total, 1) : 1);
    std::vector<float> ag(as.size()), aw(as.size());
    long long dummyS = 0;
    float dummyF = 0.0f;
    ctl->GatherV(ls.empty() ? &dummyS : ls.data(), as.data(), nlocal, lengths.data(),
      offsets.data(), 0);
    ctl->GatherV(lg.empty() ? &dummyF : lg.data(), ag.data(), nlocal, lengths.data(),
      offsets.data(), 0);
    ctl->GatherV(lw.empty() ? &dummyF : lw.data(), aw.data(), nlocal, lengths.data(),
      offsets.data(), 0);
    int placedFlag = 1;
    if (rank == 0)
    {
      std::fill(gcounts, gcounts + nbins, 0.0);
      if (gflags[0] && gflags[1])
      {
        // Back in sequence order; every sample exactly once.
        std::vector<float> G(n), W(n);
        std::vector<char> seen(n, 0);
        for (vtkIdType i = 0; i < total && placedFlag; ++i)
        {
          const long long s = as[i];
          if (s < 0 || static_cast<size_t>(s) >= n || seen[s])
          {
            placedFlag = 0;
            break;
          }
          seen[s] = 1;
          G[s] = ag[i];
          W[s] = aw[i];
        }
        placedFlag = placedFlag && static_cast<size_t>(total) == n;
        std::vector<float> cg(chunk), cw(chunk);
        for (size_t s0 = 0; placedFlag && s0 < n; s0 += chunk)
        {
          const size_t s1 = std::min(n, s0 + chunk);
          std::copy(G.begin() + s0, G.begin() + s1, cg.begin());
          std::copy(W.begin() + s0, W.begin() + s1, cw.begin());
          go_ao_histogram(cg.data(), cw.data(), s1 - s0, gmax, logLo, nbins, part.data(), nullptr);
          for (int b = 0; b < nbins; ++b)
          {
            gcounts[b] += part[b];
          }
        }
      }
    }
    ctl->Broadcast(gcounts, nbins, 0);
    ctl->Broadcast(&placedFlag, 1, 0);
    placed = placedFlag != 0;
  }
  if (!gflags[0])
  {
    return ok; // a rank failed and said why; the caller reports no result
  }
  if (gflags[1] && (gdrawn != static_cast<long long>(n) || !placed))
  {
    vtkErrorWithObjectMacro(self, "Sub-voxel samples: " << gdrawn << " of " << n
                                                        << " drawn over the ranks (each must "
                                                           "be drawn exactly once).");
    return false;
  }
  return ok;
}

//------------------------------------------------------------------------------
vtkPAutoGradientOpacity::vtkPAutoGradientOpacity()
  : Internal(new Internals)
{
  // Defaults of vtkAutoGradientOpacity (taken from an instance so they stay in step).
  vtkNew<vtkAutoGradientOpacity> ref;
  this->Operator = ref->GetOperator();
  this->Sigma = ref->GetSigma();
  this->EdgeMode = ref->GetEdgeMode();
  this->GradientArrayName = nullptr;
  this->MaskArrayName = nullptr;
  this->NoiseMultiplier = ref->GetNoiseMultiplier();
  this->MinimumOpacity = ref->GetMinimumOpacity();
  this->Sampling = ref->GetSampling();
  this->Renderer = ref->GetRenderer();
  this->NumberOfThreads = ref->GetNumberOfThreads();
  this->NumberOfSamples = ref->GetNumberOfSamples();
  this->RandomSeed = ref->GetRandomSeed();
  this->NumberOfBins = ref->GetNumberOfBins();
  this->DynamicRange = ref->GetDynamicRange();
  this->HistogramSmoothing = ref->GetHistogramSmoothing();
  this->NumberOfRampPoints = ref->GetNumberOfRampPoints();
  this->Controller = nullptr;
  this->SetController(vtkMultiProcessController::GetGlobalController());
  this->Distributed = 1; // reduced route under MPI (see the header)
  this->LastRunReduced = 0;
  this->ScalarOpacity = nullptr;
  this->SetNumberOfInputPorts(1);
  this->SetNumberOfOutputPorts(2);
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

//------------------------------------------------------------------------------
vtkPAutoGradientOpacity::~vtkPAutoGradientOpacity()
{
  this->SetGradientArrayName(nullptr);
  this->SetMaskArrayName(nullptr);
  this->SetController(nullptr);
  this->SetScalarOpacity(nullptr);
  delete this->Internal;
}

vtkCxxSetObjectMacro(vtkPAutoGradientOpacity, Controller, vtkMultiProcessController);
vtkCxxSetObjectMacro(vtkPAutoGradientOpacity, ScalarOpacity, vtkPiecewiseFunction);

//------------------------------------------------------------------------------
double vtkPAutoGradientOpacity::GetLargestPieceFraction()
{
  return this->Internal->LargestFraction;
}

//------------------------------------------------------------------------------
vtkPiecewiseFunction* vtkPAutoGradientOpacity::GetGradientOpacityFunction()
{
  return this->Internal->Function;
}

//------------------------------------------------------------------------------
void vtkPAutoGradientOpacity::ApplyTo(vtkVolumeProperty* property, int component)
{
  if (!property || this->Internal->Function->GetSize() == 0)
  {
    vtkWarningMacro("ApplyTo: no property or no function (call Update() first).");
    return;
  }
  vtkNew<vtkPiecewiseFunction> copy;
  copy->DeepCopy(this->Internal->Function);
  property->SetGradientOpacity(component, copy);
  property->SetDisableGradientOpacity(component, 0);
}

//------------------------------------------------------------------------------
int vtkPAutoGradientOpacity::FillInputPortInformation(int, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  return 1;
}

//------------------------------------------------------------------------------
int vtkPAutoGradientOpacity::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  Internals& in = *this->Internal;
  in.Piece = outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_PIECE_NUMBER())
    ? outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_PIECE_NUMBER())
    : 0;
  in.NumberOfPieces = outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES())
    ? outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES())
    : 1;
  // Reduced: every renderer profile, with the sampling its route runs (the
  // CPU profiles force GRID). GRID with a scalar-opacity weight is not
  // reduced: its per-voxel float weights are summed in voxel order by the
  // serial class (see the header).
  const int sampling = gradientopacity::RouteSampling(this->Renderer, this->Sampling);
  in.Reduce = this->Distributed && in.NumberOfPieces > 1 && this->Controller &&
    this->Controller->GetNumberOfProcesses() == in.NumberOfPieces &&
    !(sampling == vtkAutoGradientOpacity::GRID && this->ScalarOpacity);
  if (!inInfo || !inInfo->Has(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()))
  {
    return 1;
  }
  int whole[6];
  inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
  if (!in.Reduce)
  {
    std::copy(whole, whole + 6, in.Owned);
    std::copy(whole, whole + 6, in.Requested);
    // The whole image on every rank: a piece request copied upstream would
    // be converted back to a piece extent by the source's executive.
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_PIECE_NUMBER(), 0);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES(), 1);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS(), 0);
  }
  else
  {
    // Ask for this rank's piece of the whole extent (vtkExtentTranslator,
    // block mode, split by cells: neighbours share a point layer) padded by
    // the layers the computation needs, as ONE piece with no ghost levels.
    // Why not "piece p of N with ghost levels": the executive then adds
    // 1-byte vtkGhostType point and cell arrays to the piece
    // (vtkDataSet::GenerateGhostArray), as many bytes as uint16 voxels
    // themselves. Why not "the padded extent, piece p of N": the executive of
    // a source that can produce sub-extents splits that requested extent
    // into the piece again (quarter volumes at 2 ranks with ParaView 5.11's
    // Wavelet). What arrives decides ownership (RequestData): a source that
    // cannot produce sub-extents, or data cached from a larger request, is
    // still counted exactly once.
    double spacing[3] = { 1, 1, 1 };
    if (inInfo->Has(vtkDataObject::SPACING()))
    {
      inInfo->Get(vtkDataObject::SPACING(), spacing);
    }
    vtkNew<vtkGradientMagnitudeFilter> f;
    f->SetOperator(this->Operator);
    f->SetSigma(this->Sigma);
    int ghost = 1;
    for (int a = 0; a < 3; ++a)
    {
      ghost = std::max(ghost, f->GetStencilRadius(a, spacing));
    }
    in.Pad = ghost;
    if (sampling == vtkAutoGradientOpacity::SUBVOXEL)
    {
      // A sub-voxel sample in cell c reads voxels c - 2 .. c + 3 (the six
      // trilinear reads at p +- N_i/(N_i - 1)), or c .. c + 1 of a magnitude
      // that is exact Pad layers inside the received extent.
      ghost = std::max(ghost + 1, 3);
    }
    if (inInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS()))
    {
      ghost = std::max(
        ghost, inInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS()));
    }
    vtkNew<vtkExtentTranslator> et;
    et->PieceToExtentThreadSafe(in.Piece, in.NumberOfPieces, ghost, whole, in.Requested,
      vtkExtentTranslator::BLOCK_MODE, 0);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_PIECE_NUMBER(), 0);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES(), 1);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS(), 0);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::EXACT_EXTENT(), 1);
  }
  inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), in.Requested, 6);
  return 1;
}

//------------------------------------------------------------------------------
int vtkPAutoGradientOpacity::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  Internals& in = *this->Internal;
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkTable* points = vtkTable::GetData(outputVector, 0);
  vtkTable* histogram = vtkTable::GetData(outputVector, 1);
  vtkPiecewiseFunction* func = in.Function;
  func->RemoveAllPoints();
  points->Initialize();
  histogram->Initialize();
  this->LastRunReduced = in.Reduce ? 1 : 0;

  vtkNew<vtkTable> stats; // histogram columns + statistics field data
  if (!in.Reduce)
  {
    if (!input)
    {
      vtkErrorMacro("No input image.");
      return 1;
    }
    vtkNew<vtkImageData> copy;
    copy->ShallowCopy(input);
    vtkNew<vtkAutoGradientOpacity> ao;
    ao->SetInputData(copy);
    ao->SetInputArrayToProcess(0, this->GetInputArrayInformation(0));
    ao->SetOperator(this->Operator);
    ao->SetSigma(this->Sigma);
    ao->SetEdgeMode(this->EdgeMode);
    ao->SetGradientArrayName(this->GradientArrayName);
    ao->SetMaskArrayName(this->MaskArrayName);
    ao->SetScalarOpacity(this->ScalarOpacity);
    ao->SetNoiseMultiplier(this->NoiseMultiplier);
    ao->SetMinimumOpacity(this->MinimumOpacity);
    ao->SetSampling(this->Sampling);
    ao->SetRenderer(this->Renderer);
    ao->SetNumberOfThreads(this->NumberOfThreads);
    ao->SetNumberOfSamples(this->NumberOfSamples);
    ao->SetRandomSeed(this->RandomSeed);
    ao->SetNumberOfBins(this->NumberOfBins);
    ao->SetDynamicRange(this->DynamicRange);
    ao->SetHistogramSmoothing(this->HistogramSmoothing);
    ao->SetNumberOfRampPoints(this->NumberOfRampPoints);
    ao->Update();
    func->DeepCopy(ao->GetGradientOpacityFunction());
    stats->ShallowCopy(ao->GetStatisticsTable());
    in.LargestFraction = 1.0; // every rank holds the whole image
  }
  else
  {
    // ---- Reduced route. Every rank runs every collective call below in the
    // same order, whatever its local data looks like.
    vtkMultiProcessController* ctl = this->Controller;
    bool ok = true;
    int inExt[6] = { 0, -1, 0, -1, 0, -1 };
    vtkDataArray* scalars = nullptr;
    if (input)
    {
      input->GetExtent(inExt);
      scalars = this->GetInputArrayToProcess(0, inputVector);
      if (!scalars)
      {
        scalars = gradientopacity::ActiveScalarsIfUnnamed(this, 0, input);
      }
    }
    vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
    int whole[6];
    inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);

    // Ownership. The extent the upstream hands over is not necessarily the
    // one vtkExtentTranslator gives for this piece (ParaView's sources and
    // readers split in their own way), so it is derived from what arrived:
    // the valid region is the received extent minus Pad layers on every side
    // that is not on the whole-extent border (there the gradient stencil and
    // the first differences see the received edge, not the true neighbour).
    // Valid regions overlap (pieces share a point layer, ghosts); a voxel is
    // owned by the lowest rank whose valid region contains it, so every
    // voxel is counted once, whatever the split. A gap (a voxel in nobody's
    // valid region) is detected by the global count and is an error.
    const int rank = ctl->GetLocalProcessId();
    const int nproc = ctl->GetNumberOfProcesses();
    int valid[6] = { 0, -1, 0, -1, 0, -1 };
    if (input && scalars && !EmptyExtent(inExt) && Contains(whole, inExt))
    {
      for (int a = 0; a < 3; ++a)
      {
        valid[2 * a] = inExt[2 * a] > whole[2 * a] ? inExt[2 * a] + in.Pad : inExt[2 * a];
        valid[2 * a + 1] =
          inExt[2 * a + 1] < whole[2 * a + 1] ? inExt[2 * a + 1] - in.Pad : inExt[2 * a + 1];
      }
      if (EmptyExtent(valid))
      {
        const int empty[6] = { 0, -1, 0, -1, 0, -1 };
        std::copy(empty, empty + 6, valid);
      }
    }
    std::vector<int> allValid(6 * nproc, 0);
    ctl->AllGather(valid, allValid.data(), 6);
    std::copy(valid, valid + 6, in.Owned);
    // rowOwned(j, k, m): m[i - valid[0]] = 1 where (i, j, k) is owned here.
    auto rowOwned = [&](int j, int k, std::vector<char>& m) {
      m.assign(static_cast<size_t>(valid[1] - valid[0] + 1), 1);
      for (int r = 0; r < rank; ++r)
      {
        const int* v = &allValid[6 * r];
        if (EmptyExtent(v) || j < v[2] || j > v[3] || k < v[4] || k > v[5])
        {
          continue;
        }
        for (int i = std::max(v[0], valid[0]); i <= std::min(v[1], valid[1]); ++i)
        {
          m[i - valid[0]] = 0;
        }
      }
    };
    long long nOwned = 0, gOwned = 0;
    if (!EmptyExtent(valid))
    {
      std::vector<char> m;
      for (int k = valid[4]; k <= valid[5]; ++k)
      {
        for (int j = valid[2]; j <= valid[3]; ++j)
        {
          rowOwned(j, k, m);
          for (char c : m)
          {
            nOwned += c;
          }
        }
      }
    }
    ctl->AllReduce(&nOwned, &gOwned, 1, vtkCommunicator::SUM_OP);
    const long long nWhole = static_cast<long long>(whole[1] - whole[0] + 1) *
      (whole[3] - whole[2] + 1) * (whole[5] - whole[4] + 1);
    const bool ownsVoxels = nOwned > 0;
    if (gOwned != nWhole)
    {
      vtkErrorMacro("Pieces do not cover the image: " << gOwned << " of " << nWhole
                                                      << " voxels owned (piece " << in.Piece
                                                      << ", received extent " << inExt[0] << " "
                                                      << inExt[1] << " " << inExt[2] << " "
                                                      << inExt[3] << " " << inExt[4] << " "
                                                      << inExt[5] << ").");
      ok = false;
    }
    // The largest share of the volume any rank received (ghosts included).
    double fraction = input ? static_cast<double>(input->GetNumberOfPoints()) / nWhole : 0.0;
    ctl->AllReduce(&fraction, &in.LargestFraction, 1, vtkCommunicator::MAX_OP);

    // Sub-voxel sampling: the cells (between voxel centres, 0-based from the
    // whole extent's corner) whose samples this rank can draw exactly as the
    // serial sampler does, owned like the voxels (lowest rank whose valid
    // cell box holds a cell), as runs of the raster order of the cells.
    const bool subvoxel = gradientopacity::RouteSampling(this->Renderer, this->Sampling) ==
      vtkAutoGradientOpacity::SUBVOXEL;
    const bool precomputed = this->GradientArrayName && *this->GradientArrayName;
    const bool shader = subvoxel && !precomputed &&
      this->Operator == vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE;
    int dims[3], cells[3];
    for (int a = 0; a < 3; ++a)
    {
      dims[a] = whole[2 * a + 1] - whole[2 * a] + 1;
      cells[a] = std::max(dims[a] - 1, 1);
    }
    std::vector<std::pair<size_t, size_t>> runs; // [first, last] raster cells owned here
    if (subvoxel)
    {
      int cvalid[6] = { 0, -1, 0, -1, 0, -1 };
      if (input && scalars && !EmptyExtent(inExt) && Contains(whole, inExt))
      {
        for (int a = 0; a < 3; ++a)
        {
          const int lo = inExt[2 * a] - whole[2 * a], hi = inExt[2 * a + 1] - whole[2 * a];
          cvalid[2 * a] = inExt[2 * a] > whole[2 * a] ? lo + (shader ? 2 : in.Pad) : 0;
          cvalid[2 * a + 1] = inExt[2 * a + 1] < whole[2 * a + 1]
            ? hi - (shader ? 3 : in.Pad + 1)
            : cells[a] - 1;
        }
        if (EmptyExtent(cvalid))
        {
          const int empty[6] = { 0, -1, 0, -1, 0, -1 };
          std::copy(empty, empty + 6, cvalid);
        }
      }
      std::vector<int> allCells(6 * nproc, 0);
      ctl->AllGather(cvalid, allCells.data(), 6);
      long long nCells = 0, gCells = 0;
      if (!EmptyExtent(cvalid))
      {
        // Per row, the owned cells are the valid x interval minus the lower
        // ranks' intervals on that row: interval arithmetic, not per cell.
        std::vector<std::pair<int, int>> cut;
        for (int k = cvalid[4]; k <= cvalid[5]; ++k)
        {
          for (int j = cvalid[2]; j <= cvalid[3]; ++j)
          {
            cut.clear();
            for (int r = 0; r < rank; ++r)
            {
              const int* v = &allCells[6 * r];
              if (!EmptyExtent(v) && j >= v[2] && j <= v[3] && k >= v[4] && k <= v[5])
              {
                cut.emplace_back(v[0], v[1]);
              }
            }
            std::sort(cut.begin(), cut.end());
            const size_t row = static_cast<size_t>(cells[0]) *
              (static_cast<size_t>(j) + static_cast<size_t>(cells[1]) * k);
            int i0 = cvalid[0];
            for (size_t c = 0; c <= cut.size() && i0 <= cvalid[1]; ++c)
            {
              // owned: [i0, next cut start - 1]
              const int i1 = c < cut.size() ? std::min(cvalid[1], cut[c].first - 1) : cvalid[1];
              if (i1 >= i0)
              {
                nCells += i1 - i0 + 1;
                const size_t qa = row + static_cast<size_t>(i0), qb = row + static_cast<size_t>(i1);
                if (!runs.empty() && runs.back().second + 1 == qa)
                {
                  runs.back().second = qb;
                }
                else
                {
                  runs.emplace_back(qa, qb);
                }
              }
              if (c < cut.size())
              {
                i0 = std::max(i0, cut[c].second + 1);
              }
            }
          }
        }
      }
      ctl->AllReduce(&nCells, &gCells, 1, vtkCommunicator::SUM_OP);
      const long long nAllCells = static_cast<long long>(cells[0]) * cells[1] * cells[2];
      if (gCells != nAllCells)
      {
        vtkErrorMacro("Pieces do not cover the cells of the image: "
          << gCells << " of " << nAllCells << " cells owned (piece " << in.Piece << ").");
        ok = false;
      }
    }

    double spacing[3] = { 1, 1, 1 };
    if (inInfo->Has(vtkDataObject::SPACING()))
    {
      inInfo->Get(vtkDataObject::SPACING(), spacing);
    }
    else if (input)
    {
      input->GetSpacing(spacing);
    }
    for (int a = 0; a < 3; ++a)
    {
      if (!(spacing[a] > 0.0) || !std::isfinite(spacing[a]))
      {
        vtkErrorMacro("Spacing must be positive and finite.");
        ok = false;
      }
    }
    in.Stats.MeanSpacing = (spacing[0] + spacing[1] + spacing[2]) / 3.0;

    // The renderer profile's route, as the serial class computes it. The CPU
    // profiles' edge rule depends on the scalar type: agreed over the ranks
    // (a rank that received nothing has no array to look at).
    int scalarInfo[2] = { scalars ? scalars->GetDataType() : -1,
      scalars ? scalars->GetNumberOfComponents() : -1 };
    int gScalarInfo[2] = { -1, -1 };
    ctl->AllReduce(scalarInfo, gScalarInfo, 2, vtkCommunicator::MAX_OP);
    in.Route = gradientopacity::RouteFor(this->Renderer, this->Sampling, this->EdgeMode, spacing,
      gScalarInfo[0] >= 0 ? gScalarInfo[0] : VTK_FLOAT, std::max(gScalarInfo[1], 0));
    const gradientopacity::Route& route = in.Route;

    // Global finite range.
    double lrange[2] = { VTK_DOUBLE_MAX, -VTK_DOUBLE_MAX };
    if (ok && ownsVoxels)
    {
      double r[2];
      gradientopacity::FiniteRange(scalars, 0, r);
      if (r[0] <= r[1])
      {
        lrange[0] = r[0];
        lrange[1] = r[1];
      }
    }
    double grange[2];
    ctl->AllReduce(&lrange[0], &grange[0], 1, vtkCommunicator::MIN_OP);
    ctl->AllReduce(&lrange[1], &grange[1], 1, vtkCommunicator::MAX_OP);
    int allOk = ok ? 1 : 0, gOk = 0;
    ctl->AllReduce(&allOk, &gOk, 1, vtkCommunicator::MIN_OP);
    if (grange[0] > grange[1])
    {
      grange[0] = grange[1] = 0.0;
    }
    in.Stats.ScalarRange[0] = grange[0];
    in.Stats.ScalarRange[1] = grange[1];
    const double R = grange[1] - grange[0];
    in.Stats.GradientScale = 0.25 * R;
    const double gmax = in.Stats.GradientScale;
    const int nbins = this->NumberOfBins;
    const double logLo = -std::log(this->DynamicRange);
    std::vector<double> counts(nbins, 0.0), gcounts(nbins, 0.0), smoothed(nbins, 0.0);

    // Local samples over the owned voxels.
    vtkDataArray* mask = nullptr;
    if (ok && input && this->MaskArrayName && *this->MaskArrayName)
    {
      mask = input->GetPointData()->GetArray(this->MaskArrayName);
      if (!mask)
      {
        vtkErrorMacro("No point array named " << this->MaskArrayName);
        ok = false;
      }
    }
    if (subvoxel)
    {
      if (!in.SubVoxelHistogram(this, input, scalars, mask, inExt, whole, spacing, runs, grange,
            gOk && R > 0.0 && std::isfinite(R) && ok, gcounts.data()))
      {
        ok = false;
      }
    }
    else if (gOk && R > 0.0 && std::isfinite(R) && ok && ownsVoxels)
    {
      vtkSmartPointer<vtkDataArray> magnitude;
      if (precomputed)
      {
        magnitude = input->GetPointData()->GetArray(this->GradientArrayName);
        if (!magnitude)
        {
          vtkErrorMacro("No point array named " << this->GradientArrayName);
          ok = false;
        }
      }
      else
      {
        vtkNew<vtkImageData> copy;
        copy->SetExtent(inExt);
        copy->SetSpacing(spacing);
        copy->SetOrigin(input->GetOrigin());
        copy->GetPointData()->SetScalars(scalars);
        vtkNew<vtkGradientMagnitudeFilter> filter;
        filter->SetInputData(copy);
        filter->SetOperator(this->Operator);
        filter->SetSigma(this->Sigma);
        filter->SetEdgeMode(route.EdgeMode);
        filter->SetUnits(route.Units);
        filter->SetOutputScalarTypeToFloat();
        filter->SetComponent(0);
        if (this->NumberOfThreads > 0)
        {
          filter->SetNumberOfThreads(this->NumberOfThreads);
        }
        filter->Update();
        magnitude = filter->GetOutput()->GetPointData()->GetScalars();
        if (!magnitude || magnitude->GetNumberOfTuples() != input->GetNumberOfPoints())
        {
          vtkErrorMacro("Gradient computation failed.");
          ok = false;
        }
      }
      go_image sim, mim;
      if (ok && !MakeView(scalars, inExt, valid, sim))
      {
        vtkErrorMacro("Unsupported scalar type " << scalars->GetDataTypeAsString());
        ok = false;
      }
      if (ok)
      {
        const bool haveMask = mask && MakeView(mask, inExt, valid, mim);
        const vtkIdType vnx = valid[1] - valid[0] + 1;
        const vtkIdType vny = valid[3] - valid[2] + 1;
        const vtkIdType vnz = valid[5] - valid[4] + 1;
        const vtkIdType inx = inExt[1] - inExt[0] + 1;
        const vtkIdType iny = inExt[3] - inExt[2] + 1;
        // Weights over the valid box, then the owned voxels' (g, w) pairs;
        // the CPU profiles' 8-bit levels over the global gmax (serial: the
        // same gradientopacity::Quantize8 per voxel).
        const double toLevel = 255.0 / gmax, toG = gmax / 255.0;
        std::vector<float> wv(vnx * vny * vnz), g, w;
        g.reserve(static_cast<size_t>(nOwned));
        w.reserve(static_cast<size_t>(nOwned));
        if (go_ao_grid_weights(&sim, haveMask ? &mim : nullptr, nullptr, wv.data()) != GO_OK)
        {
          vtkErrorMacro("Weights failed.");
          ok = false;
        }
        else
        {
          std::vector<char> m;
          vtkIdType nv = 0;
          for (int k = valid[4]; k <= valid[5]; ++k)
          {
            for (int j = valid[2]; j <= valid[3]; ++j)
            {
              rowOwned(j, k, m);
              vtkIdType idx =
                (valid[0] - inExt[0]) + inx * ((j - inExt[2]) + iny * (k - inExt[4]));
              for (int i = valid[0]; i <= valid[1]; ++i, ++idx, ++nv)
              {
                if (m[i - valid[0]])
                {
                  const double v = magnitude->GetComponent(idx, 0);
                  g.push_back(route.Quantize8 ? gradientopacity::Quantize8(v, toLevel, toG)
                                              : static_cast<float>(v));
                  w.push_back(wv[nv]);
                }
              }
            }
          }
          go_ao_histogram(g.data(), w.data(), g.size(), gmax, logLo, nbins, counts.data(), nullptr);
        }
      }
    }
    // Histogram reduction (GRID; SubVoxelHistogram reduced its own): with 0/1
    // weights the counts are integers, so the sum is exact in any order.
    if (!subvoxel)
    {
      ctl->AllReduce(counts.data(), gcounts.data(), nbins, vtkCommunicator::SUM_OP);
    }
    allOk = ok ? 1 : 0;
    ctl->AllReduce(&allOk, &gOk, 1, vtkCommunicator::MIN_OP);
    go_ao_smooth(gcounts.data(), smoothed.data(), nbins, this->HistogramSmoothing);

    // MAD cross-check (as go_ao_mad_sigma on the whole image, max
    // GO_AO_MAD_MAX_PAIRS pairs): the same global pair enumeration and stride; each rank takes
    // the pairs whose first voxel it owns.
    in.Stats.NoiseSigma = 0.0;
    in.Stats.PredictedNoiseFloor = 0.0;
    const bool doMad = !precomputed && gOk && R > 0.0 && std::isfinite(R);
    if (doMad)
    {
      std::vector<double> d;
      int dims[3];
      for (int a = 0; a < 3; ++a)
      {
        dims[a] = whole[2 * a + 1] - whole[2 * a] + 1;
      }
      size_t total = 0, base[3] = { 0, 0, 0 };
      for (int a = 0; a < 3; ++a)
      {
        base[a] = total;
        if (dims[a] > 1)
        {
          total += static_cast<size_t>(dims[a] - 1) * static_cast<size_t>(dims[(a + 1) % 3]) *
            static_cast<size_t>(dims[(a + 2) % 3]);
        }
      }
      const size_t maxPairs = GO_AO_MAD_MAX_PAIRS;
      size_t stride = total > 0 ? (total + maxPairs - 1) / maxPairs : 1;
      stride = std::max<size_t>(stride, 1);
      if (ok && ownsVoxels)
      {
        const vtkIdType inx = inExt[1] - inExt[0] + 1;
        const vtkIdType iny = inExt[3] - inExt[2] + 1;
        const vtkIdType step[3] = { 1, inx, inx * iny };
        for (int a = 0; a < 3; ++a)
        {
          if (dims[a] < 2)
          {
            continue;
          }
          const size_t lim0 = static_cast<size_t>(dims[0] - (a == 0 ? 1 : 0));
          const size_t lim1 = static_cast<size_t>(dims[1] - (a == 1 ? 1 : 0));
          std::vector<char> m;
          for (int k = valid[4]; k <= valid[5]; ++k)
          {
            for (int j = valid[2]; j <= valid[3]; ++j)
            {
              const int gj = j - whole[2], gk = k - whole[4];
              if ((a == 1 && gj >= dims[1] - 1) || (a == 2 && gk >= dims[2] - 1))
              {
                continue;
              }
              rowOwned(j, k, m);
              // The row's pairs have consecutive indices: visit only every
              // stride-th (the kept ones), as go_ao_mad_sigma jumps to them.
              const size_t rowIdx = base[a] +
                lim0 * (static_cast<size_t>(gj) + lim1 * static_cast<size_t>(gk));
              const int iEnd = a == 0 ? std::min(valid[1], whole[0] + dims[0] - 2) : valid[1];
              const size_t first = rowIdx + static_cast<size_t>(valid[0] - whole[0]);
              const size_t r = first % stride;
              const size_t span = iEnd >= valid[0] ? static_cast<size_t>(iEnd - valid[0]) + 1 : 0;
              for (size_t ii = r ? stride - r : 0; ii < span; ii += stride)
              {
                const int i = valid[0] + static_cast<int>(ii);
                if (!m[ii])
                {
                  continue;
                }
                const vtkIdType p0 =
                  (i - inExt[0]) + inx * ((j - inExt[2]) + iny * (k - inExt[4]));
                const vtkIdType p1 = p0 + step[a];
                if (mask && (mask->GetComponent(p0, 0) == 0.0 || mask->GetComponent(p1, 0) == 0.0))
                {
                  continue;
                }
                const double v0 = scalars->GetComponent(p0, 0);
                const double v1 = scalars->GetComponent(p1, 0);
                if (!std::isfinite(v0) || !std::isfinite(v1))
                {
                  continue;
                }
                d.push_back(v1 - v0);
              }
            }
          }
        }
      }
      vtkIdType nlocal = static_cast<vtkIdType>(d.size());
      std::vector<vtkIdType> lengths(nproc, 0), offsets(nproc, 0);
      ctl->Gather(&nlocal, lengths.data(), 1, 0);
      std::vector<double> all;
      if (rank == 0)
      {
        vtkIdType sum = 0;
        for (int p = 0; p < nproc; ++p)
        {
          offsets[p] = sum;
          sum += lengths[p];
        }
        all.resize(static_cast<size_t>(std::max<vtkIdType>(sum, 1)));
      }
      double dummy = 0.0;
      ctl->GatherV(d.empty() ? &dummy : d.data(), rank == 0 ? all.data() : &dummy, nlocal,
        lengths.data(), offsets.data(), 0);
      double sigma = 0.0;
      if (rank == 0)
      {
        const size_t count = static_cast<size_t>(offsets[nproc - 1] + lengths[nproc - 1]);
        all.resize(count);
        if (count > 0)
        {
          const double med = Select(all, count / 2);
          for (double& v : all)
          {
            v = std::fabs(v - med);
          }
          const double mad = Select(all, count / 2);
          sigma = 1.4826 * mad / std::sqrt(2.0);
        }
      }
      ctl->Broadcast(&sigma, 1, 0);
      in.Stats.NoiseSigma = sigma;

      // Calibration: the mode unit white noise gives through the same
      // operator and spacing (GRID), as vtkAutoGradientOpacity does it.
      if (sigma > 0.0)
      {
        int thick = 0;
        for (int a = 0; a < 3; ++a)
        {
          thick += dims[a] > 1 ? 1 : 0;
        }
        const int side = thick >= 3 ? 40 : (thick == 2 ? 256 : 65536);
        int cdims[3];
        for (int a = 0; a < 3; ++a)
        {
          cdims[a] = dims[a] > 1 ? side : 1;
        }
        std::vector<double> nc(nbins), ns(nbins);
        const double unitMax = gmax / sigma;
        if (in.NoiseCounts(this, spacing, cdims, unitMax, logLo, nc))
        {
          go_ao_smooth(nc.data(), ns.data(), nbins, this->HistogramSmoothing);
          go_ao_params np = {};
          np.k = this->NoiseMultiplier;
          np.floor_tolerance = 2.0;
          np.high_min_ratio = 1.5;
          np.predicted_floor = 0.0;
          go_ao_result nr;
          go_ao_thresholds(nc.data(), ns.data(), nbins, logLo, unitMax, &np, &nr);
          if (nr.valid)
          {
            in.Stats.PredictedNoiseFloor = nr.noise_floor_mode * sigma;
          }
        }
      }
    }

    // Thresholds and curve (identical on every rank).
    in.Stats.NoiseFloor = in.Stats.NoiseFloorMode = in.Stats.MedianGradient = 0.0;
    in.Stats.LowThreshold = in.Stats.HighThreshold = in.Stats.EdgeStrength = 0.0;
    if (!gOk)
    {
      vtkErrorMacro("A rank failed: no result.");
    }
    else if (!(R > 0.0) || !std::isfinite(R))
    {
      vtkWarningMacro("Constant (or non-finite) image: the gradient opacity is a flat 1.0.");
      func->AddPoint(0.0, 1.0, 0.5, 0.0);
      func->AddPoint(1.0, 1.0, 0.5, 0.0);
    }
    else
    {
      go_ao_params params = {};
      params.k = this->NoiseMultiplier;
      params.floor_tolerance = 2.0;
      params.high_min_ratio = 1.5;
      params.predicted_floor = in.Stats.PredictedNoiseFloor;
      go_ao_result result;
      go_ao_thresholds(gcounts.data(), smoothed.data(), nbins, logLo, gmax, &params, &result);
      if (!gradientopacity::AddCurve(
            func, result, gmax, this->MinimumOpacity, this->NumberOfRampPoints))
      {
        vtkWarningMacro("No non-zero gradient sample: the gradient opacity is a flat 1.0.");
      }
      else
      {
        in.Stats.NoiseFloorMode = result.noise_floor_mode;
        in.Stats.NoiseFloor = result.noise_floor;
        in.Stats.MedianGradient = result.median;
        in.Stats.LowThreshold = result.low;
        in.Stats.HighThreshold = result.high;
        in.Stats.EdgeStrength = result.edge_strength;
      }
    }

    // The histogram table, in vtkAutoGradientOpacity's layout.
    in.Stats.NoiseMultiplier = this->NoiseMultiplier;
    in.Stats.Sampling = route.Sampling;
    in.Stats.Renderer = this->Renderer;
    gradientopacity::FillStatisticsTable(
      stats, gcounts.data(), smoothed.data(), nbins, logLo, in.Stats);
  }

  // Which route ran, and the largest share of the volume a rank received:
  // a user (and the tests) can see that the work was divided.
  vtkNew<vtkStringArray> route;
  route->SetName("Route");
  route->InsertNextValue(in.Reduce ? "reduced" : "whole");
  stats->GetFieldData()->AddArray(route);
  vtkNew<vtkDoubleArray> largest;
  largest->SetName("LargestPieceFraction");
  largest->SetNumberOfTuples(1);
  largest->SetValue(0, in.LargestFraction);
  stats->GetFieldData()->AddArray(largest);

  // Outputs: only piece 0 fills the tables when running in pieces.
  if (in.Piece != 0 && in.NumberOfPieces > 1)
  {
    return 1;
  }
  histogram->ShallowCopy(stats);
  vtkNew<vtkDoubleArray> x, xp, y;
  x->SetName("GradientMapper");
  xp->SetName("GradientPhysical");
  y->SetName("Opacity");
  vtkDataArray* msp = stats->GetFieldData()->GetArray("MeanSpacing");
  const double hbar = msp ? msp->GetComponent(0, 0) : 1.0;
  double node[4];
  for (int i = 0; i < func->GetSize(); ++i)
  {
    func->GetNodeValue(i, node);
    x->InsertNextValue(node[0]);
    xp->InsertNextValue(hbar > 0.0 ? node[0] / hbar : node[0]);
    y->InsertNextValue(node[1]);
  }
  points->AddColumn(x);
  points->AddColumn(xp);
  points->AddColumn(y);
  points->GetFieldData()->ShallowCopy(stats->GetFieldData());
  vtkNew<vtkDoubleArray> reduced;
  reduced->SetName("ReducedOverRanks");
  reduced->SetNumberOfTuples(1);
  reduced->SetValue(0, in.Reduce ? in.NumberOfPieces : 0);
  points->GetFieldData()->AddArray(reduced);
  return 1;
}

//------------------------------------------------------------------------------
void vtkPAutoGradientOpacity::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Operator: " << this->Operator << "\n";
  os << indent << "Sigma: " << this->Sigma << "\n";
  os << indent << "EdgeMode: " << this->EdgeMode << "\n";
  os << indent << "GradientArrayName: "
     << (this->GradientArrayName ? this->GradientArrayName : "(none)") << "\n";
  os << indent << "MaskArrayName: " << (this->MaskArrayName ? this->MaskArrayName : "(none)")
     << "\n";
  os << indent << "NoiseMultiplier: " << this->NoiseMultiplier << "\n";
  os << indent << "MinimumOpacity: " << this->MinimumOpacity << "\n";
  os << indent << "Sampling: " << this->Sampling << "\n";
  os << indent << "Renderer: " << this->Renderer << "\n";
  os << indent << "NumberOfThreads: " << this->NumberOfThreads << "\n";
  os << indent << "NumberOfSamples: " << this->NumberOfSamples << "\n";
  os << indent << "RandomSeed: " << this->RandomSeed << "\n";
  os << indent << "NumberOfBins: " << this->NumberOfBins << "\n";
  os << indent << "DynamicRange: " << this->DynamicRange << "\n";
  os << indent << "HistogramSmoothing: " << this->HistogramSmoothing << "\n";
  os << indent << "NumberOfRampPoints: " << this->NumberOfRampPoints << "\n";
  os << indent << "Controller: " << this->Controller << "\n";
  os << indent << "Distributed: " << this->Distributed << "\n";
  os << indent << "LastRunReduced: " << this->LastRunReduced << "\n";
  os << indent << "ScalarOpacity: " << this->ScalarOpacity << "\n";
}
