#include "vtkAutoGradientOpacity.h"

#include "Kernels/go_autoopacity.h"
#include "vtkGradientOpacityArrays.h"
#include "vtkGradientOpacityInputArray.h"
#include "vtkGradientOpacityRoute.h"
#include "vtkGradientOpacityStatistics.h"
#include "vtkGradientMagnitudeFilter.h"

#include "vtkDataArray.h"
#include "vtkDemandDrivenPipeline.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkMatrix3x3.h"
#include "vtkMultiThreader.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkSmartPointer.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTable.h"
#include "vtkVolume.h"
#include "vtkVolumeProperty.h"

#include "vtkFixedPointVolumeRayCastMapper.h"
#include "vtkGPUVolumeRayCastMapper.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <new>
#include <vector>

vtkStandardNewMacro(vtkAutoGradientOpacity);
vtkCxxSetObjectMacro(vtkAutoGradientOpacity, ScalarOpacity, vtkPiecewiseFunction);

namespace
{
using gradientopacity::MakeImage;
}

struct vtkAutoGradientOpacity::Internals
{
  // The route of the chosen renderer (vtkGradientOpacityRoute.h, shared with
  // the MPI front end).
  using Route = gradientopacity::Route;

  static Route RouteFor(const vtkAutoGradientOpacity* self, const double spacing[3],
    vtkDataArray* scalars)
  {
    return gradientopacity::RouteFor(self->Renderer, self->Sampling, self->EdgeMode, spacing,
      scalars ? scalars->GetDataType() : VTK_FLOAT, scalars ? scalars->GetNumberOfComponents() : 0);
  }

  // The weighted histogram of ln(g / gmax) of one image's samples (g in
  // mapper units): GRID from every voxel of the gradient magnitude (read in
  // place), SUBVOXEL from sub-voxel samples binned as they are drawn.
  struct HistogramRequest
  {
    double GMax = 1.0;
    double LogLo = -1.0;
    int NumberOfBins = 1;
    double* Counts = nullptr;
    go_ao_counts* Info = nullptr;
  };

  static bool Histogram(vtkAutoGradientOpacity* self, const Route& route, vtkImageData* image,
    vtkDataArray* scalars, vtkDataArray* gradient, vtkDataArray* mask, const go_ao_lut* lut,
    const HistogramRequest& req)
  {
    go_ao_counts dummy;
    go_ao_counts* info = req.Info ? req.Info : &dummy;
    int extent[6];
    image->GetExtent(extent);
    double spacing[3];
    image->GetSpacing(spacing);
    const vtkIdType nvox = image->GetNumberOfPoints();
    const int sampling = route.Sampling;

    go_image sim, mim, gim;
    if (!MakeImage(scalars, extent, sim))
    {
      vtkErrorWithObjectMacro(self, "Unsupported scalar type " << scalars->GetDataTypeAsString());
      return false;
    }
    const bool haveMask = mask && MakeImage(mask, extent, mim);

    vtkSmartPointer<vtkDataArray> magnitude = gradient;
    const bool shaderEmulation = !gradient && sampling == SUBVOXEL &&
      self->Operator == vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE;
    // GRID from the scalars: the magnitude vtkGradientMagnitudeFilter would
    // give (same kernel, same options, bitwise the same values for any
    // piece) is computed a few planes at a time into a buffer per thread and
    // binned at once: no image-sized array, no second pass over memory.
    const bool fusedGrid = !gradient && sampling == GRID && !route.Quantize8;
    if (!magnitude && !shaderEmulation && !fusedGrid)
    {
      vtkNew<vtkImageData> copy;
      copy->SetExtent(extent);
      copy->SetSpacing(spacing);
      copy->SetOrigin(image->GetOrigin());
      copy->GetPointData()->SetScalars(scalars);
      vtkNew<vtkGradientMagnitudeFilter> filter;
      filter->SetInputData(copy);
      filter->SetOperator(self->Operator);
      filter->SetSigma(self->Sigma);
      filter->SetEdgeMode(route.EdgeMode);
      filter->SetUnits(route.Units);
      filter->SetOutputScalarTypeToFloat();
      filter->SetComponent(0);
      if (self->NumberOfThreads > 0)
      {
        filter->SetNumberOfThreads(self->NumberOfThreads);
      }
      filter->Update();
      magnitude = filter->GetOutput()->GetPointData()->GetScalars();
      if (!magnitude || magnitude->GetNumberOfTuples() != nvox)
      {
        vtkErrorWithObjectMacro(self, "Gradient computation failed.");
        return false;
      }
    }
    if (magnitude && !MakeImage(magnitude, extent, gim))
    {
      vtkErrorWithObjectMacro(self, "Unsupported gradient array type.");
      return false;
    }

    if (fusedGrid)
    {
      std::vector<float> w;
      if (haveMask || lut || sim.type == GO_FLOAT32 || sim.type == GO_FLOAT64)
      {
        w.resize(nvox);
        if (go_ao_grid_weights(&sim, haveMask ? &mim : nullptr, lut, w.data()) != GO_OK)
        {
          return false;
        }
      }
      // The options vtkGradientMagnitudeFilter gives the kernel for this
      // route (float32 magnitude of component 0, no direction matrix).
      go_options o;
      go_options_init(&o);
      o.op = static_cast<go_operator>(self->Operator);
      o.edge = static_cast<go_edge_mode>(route.EdgeMode);
      o.units = static_cast<go_units>(route.Units);
      o.dimensionality = extent[4] == extent[5] ? 2 : 3;
      o.sigma = self->Sigma;
      for (int a = 0; a < 3; ++a)
      {
        o.spacing[a] = spacing[a];
      }
      const size_t plane =
        size_t(extent[1] - extent[0] + 1) * size_t(extent[3] - extent[2] + 1);
      HistogramJob job;
      job.Owner = self;
      job.GridScalars = &sim;
      job.GridOptions = o;
      std::copy(extent, extent + 6, job.GridExtent);
      job.GridW = w.empty() ? nullptr : w.data();
      // about 64 Ki voxels (256 KiB of magnitude) per chunk: the buffer stays
      // in the core's cache between the gradient and the binning
      job.ChunkSize = plane * std::max<size_t>(1, (size_t(1) << 16) / plane);
      job.N = static_cast<size_t>(nvox);
      job.Request = req;
      job.Request.Info = info;
      if (!job.Run(self->NumberOfThreads))
      {
        vtkErrorWithObjectMacro(self, "Gradient computation failed: "
            << go_status_string(static_cast<go_status>(job.Status.load())));
        return false;
      }
      return true;
    }

    if (sampling == GRID)
    {
      std::vector<float> g, w;
      const float* gp = nullptr;
      auto* fmag = vtkFloatArray::FastDownCast(magnitude);
      if (route.Quantize8)
      {
        // The fixed-point mapper stores (unsigned char)(clamp(g 255 / gmax) + 0.5)
        // and indexes a 256-entry table over [0, gmax] with it.
        g.resize(nvox);
        const double toLevel = 255.0 / req.GMax, toG = req.GMax / 255.0;
        for (vtkIdType i = 0; i < nvox; ++i)
        {
          g[i] = gradientopacity::Quantize8(magnitude->GetComponent(i, 0), toLevel, toG);
        }
        gp = g.data();
      }
      else if (fmag && fmag->GetNumberOfComponents() == 1)
      {
        gp = fmag->GetPointer(0); // in place: no copy of the magnitude
      }
      else
      {
        g.resize(nvox);
        for (vtkIdType i = 0; i < nvox; ++i)
        {
          g[i] = static_cast<float>(magnitude->GetComponent(i, 0));
        }
        gp = g.data();
      }
      // Integers are finite: without a mask or a scalar-opacity function
      // every weight is 1 and the histogram takes none.
      if (haveMask || lut || sim.type == GO_FLOAT32 || sim.type == GO_FLOAT64)
      {
        w.resize(nvox);
        if (go_ao_grid_weights(&sim, haveMask ? &mim : nullptr, lut, w.data()) != GO_OK)
        {
          return false;
        }
      }
      HistogramJob job;
      job.GridG = gp;
      job.GridW = w.empty() ? nullptr : w.data();
      job.ChunkSize = size_t(1) << 20;
      job.N = static_cast<size_t>(nvox);
      job.Request = req;
      job.Request.Info = info;
      return job.Run(self->NumberOfThreads);
    }

    vtkIdType n = self->NumberOfSamples;
    if (n <= 0)
    {
      n = std::min<vtkIdType>(std::max<vtkIdType>(nvox, 65536), 262144);
    }
    HistogramJob job;
    job.Image = shaderEmulation ? &sim : &gim;
    job.Magnitude = shaderEmulation ? 0 : 1;
    job.Values = &sim;
    job.Mask = haveMask ? &mim : nullptr;
    job.Lut = lut;
    job.Spacing = route.Spacing;
    job.N = static_cast<size_t>(n);
    job.Seed = 0x5eed0000ull + static_cast<uint64_t>(self->RandomSeed);
    job.Request = req;
    job.Request.Info = info;
    return job.Run(self->NumberOfThreads);
  }

  // Samples binned in fixed chunks of [0, n) that threads take as they come
  // free (a thread the VM holds back does not hold up the others); the
  // chunk histograms are added in chunk order, so the result does not depend
  // on the thread count or on which thread ran a chunk. Sub-voxel samples are
  // drawn per chunk (each depends only on (seed, index)); GRID chunks are
  // slices of the magnitude array.
  struct HistogramJob
  {
    size_t ChunkSize = 8192;
    const float* GridG = nullptr;
    const float* GridW = nullptr;
    // GRID from the scalars: chunks of whole planes of the extent
    const go_image* GridScalars = nullptr;
    go_options GridOptions;
    int GridExtent[6] = { 0, -1, 0, -1, 0, -1 };
    std::atomic<int> Status{ GO_OK };
    go_ao_binner Binner;
    bool HaveBinner = false;
    const go_image* Image = nullptr;
    int Magnitude = 0;
    const go_image* Values = nullptr;
    const go_image* Mask = nullptr;
    const go_ao_lut* Lut = nullptr;
    const double* Spacing = nullptr;
    size_t N = 0;
    uint64_t Seed = 0;
    HistogramRequest Request;
    std::vector<std::vector<double>> ChunkCounts;
    std::vector<go_ao_counts> ChunkInfo;
    // Unweighted GRID counts are integers, exact in doubles, so their sum
    // does not depend on the order: each thread adds its chunks into one
    // histogram of its own instead of keeping one per chunk (no allocation
    // per chunk: on a VM, memory the allocator returns and takes back costs
    // a page fault per 4 KiB).
    bool Exact = false;
    std::mutex ThreadMutex;
    std::vector<std::vector<double>> ThreadCounts;
    std::vector<go_ao_counts> ThreadInfo;
    std::atomic<size_t> ChunksDone{ 0 };
    // GRID from the scalars: the filter, whose GridScratch holds ChunkSize
    // floats per thread for the magnitude, kept between executions (Run
    // sizes it)
    vtkAutoGradientOpacity* Owner = nullptr;
    size_t NumberOfChunks = 0;
    std::atomic<int> Failed{ 0 };
    std::atomic<size_t> NextChunk{ 0 };

    static void AddCounts(go_ao_counts& to, const go_ao_counts& from)
    {
      to.n_binned += from.n_binned;
      to.n_zero += from.n_zero;
      to.n_nonfinite += from.n_nonfinite;
      to.total_weight += from.total_weight;
    }

    // The GRID histogram of one chunk: the table binning when it exists
    // (the same counts as go_ao_histogram, without a logarithm per voxel).
    go_status GridHistogram(const float* g, const float* w, size_t n, double* counts,
      go_ao_counts* info)
    {
      if (this->HaveBinner)
      {
        return go_ao_histogram_binned(&this->Binner, g, w, n, counts, info);
      }
      return go_ao_histogram(g, w, n, this->Request.GMax, this->Request.LogLo,
        this->Request.NumberOfBins, counts, info);
    }

    void RunThread(int thread)
    {
      const bool grid = this->GridG || this->GridScalars;
      const size_t nbins = static_cast<size_t>(this->Request.NumberOfBins);
      std::vector<float> g(grid ? 0 : this->ChunkSize), w(grid ? 0 : this->ChunkSize);
      float* gp =
        this->GridScalars ? this->Owner->GridScratch + size_t(thread) * this->ChunkSize : g.data();
      std::vector<double> sum(this->Exact ? nbins : 0), part(this->Exact ? nbins : 0);
      go_ao_counts sumInfo = {}, partInfo = {};
      for (size_t c = this->NextChunk++; c < this->NumberOfChunks && !this->Failed;
           c = this->NextChunk++)
      {
        const size_t s0 = c * this->ChunkSize, s1 = std::min(this->N, s0 + this->ChunkSize);
        if (!this->Exact)
        {
          this->ChunkCounts[c].resize(nbins);
        }
        double* counts = this->Exact ? part.data() : this->ChunkCounts[c].data();
        go_ao_counts* info = this->Exact ? &partInfo : &this->ChunkInfo[c];
        if (this->GridScalars)
        {
          const int* e = this->GridExtent;
          const size_t plane = size_t(e[1] - e[0] + 1) * size_t(e[3] - e[2] + 1);
          const int planes = static_cast<int>(this->ChunkSize / plane);
          go_output out;
          out.magnitude = gp;
          out.vector = nullptr;
          out.type = GO_FLOAT32;
          std::copy(e, e + 6, out.extent);
          out.extent[4] = e[4] + static_cast<int>(c) * planes;
          out.extent[5] = std::min(e[5], out.extent[4] + planes - 1);
          out.increments[0] = 1;
          out.increments[1] = e[1] - e[0] + 1;
          out.increments[2] = static_cast<ptrdiff_t>(plane);
          const go_status st =
            go_gradient_compute(this->GridScalars, &this->GridOptions, out.extent, &out);
          if (st != GO_OK)
          {
            this->Status = st;
            this->Failed = 1;
            return;
          }
          if (this->GridHistogram(gp, this->GridW ? this->GridW + s0 : nullptr, s1 - s0, counts,
                info) != GO_OK)
          {
            this->Failed = 1;
            return;
          }
        }
        else if (this->GridG)
        {
          if (this->GridHistogram(this->GridG + s0, this->GridW ? this->GridW + s0 : nullptr,
                s1 - s0, counts, info) != GO_OK)
          {
            this->Failed = 1;
            return;
          }
        }
        else if (go_ao_subvoxel_samples_range(this->Image, this->Magnitude, this->Values,
                   this->Mask, this->Lut, this->Spacing, this->N, this->Seed, s0, s1, g.data(),
                   w.data(), nullptr) != GO_OK ||
          go_ao_histogram(g.data(), w.data(), s1 - s0, this->Request.GMax, this->Request.LogLo,
            this->Request.NumberOfBins, counts, info) != GO_OK)
        {
          this->Failed = 1;
          return;
        }
        ++this->ChunksDone;
        if (this->Exact)
        {
          for (size_t b = 0; b < nbins; ++b)
          {
            sum[b] += part[b];
          }
          AddCounts(sumInfo, partInfo);
        }
      }
      if (this->Exact)
      {
        std::lock_guard<std::mutex> lock(this->ThreadMutex);
        this->ThreadCounts.push_back(std::move(sum));
        this->ThreadInfo.push_back(sumInfo);
      }
    }

    static VTK_THREAD_RETURN_TYPE Execute(void* arg)
    {
      // The threader may run fewer threads than asked for (a global maximum,
      // e.g. set by ParaView): the threads that do run take every chunk.
      auto* info = static_cast<vtkMultiThreader::ThreadInfo*>(arg);
      static_cast<HistogramJob*>(info->UserData)->RunThread(info->ThreadID);
      return VTK_THREAD_RETURN_VALUE;
    }

    ~HistogramJob()
    {
      if (this->HaveBinner)
      {
        go_ao_binner_free(&this->Binner);
      }
    }

    bool Run(int threads)
    {
      const size_t chunks = std::max<size_t>((this->N + this->ChunkSize - 1) / this->ChunkSize, 1);
      if (this->GridG || this->GridScalars)
      {
        // the table costs a few thousand logarithms: worth it from 2^16 values
        this->HaveBinner = this->N >= (size_t(1) << 16) &&
          go_ao_binner_init(&this->Binner, this->Request.GMax, this->Request.LogLo,
            this->Request.NumberOfBins) == GO_OK;
      }
      this->Exact = (this->GridG || this->GridScalars) && !this->GridW;
      this->NumberOfChunks = chunks;
      this->ChunkCounts.assign(this->Exact ? 0 : chunks, std::vector<double>());
      this->ChunkInfo.assign(this->Exact ? 0 : chunks, go_ao_counts{});
      if (threads <= 0)
      {
        threads = vtkMultiThreader::GetGlobalDefaultNumberOfThreads();
      }
      threads =
        static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), chunks));
      if (this->GridScalars)
      {
        const size_t need = size_t(threads) * this->ChunkSize;
        if (this->Owner->GridScratchFloats < need)
        {
          delete[] this->Owner->GridScratch;
          this->Owner->GridScratchFloats = 0;
          this->Owner->GridScratch = new (std::nothrow) float[need];
          if (!this->Owner->GridScratch)
          {
            this->Status = GO_ERROR_MEMORY;
            return false;
          }
          this->Owner->GridScratchFloats = need;
        }
      }
      if (threads == 1)
      {
        this->RunThread(0);
      }
      else
      {
        vtkNew<vtkMultiThreader> mt;
        mt->SetNumberOfThreads(threads);
        mt->SetSingleMethod(&HistogramJob::Execute, this);
        mt->SingleMethodExecute();
      }
      if (this->Failed)
      {
        return false;
      }
      if (this->ChunksDone != chunks)
      {
        return false; // a chunk no thread ran: never silently incomplete
      }
      const int nbins = this->Request.NumberOfBins;
      std::fill(this->Request.Counts, this->Request.Counts + nbins, 0.0);
      go_ao_counts total = {};
      // per chunk in chunk order, or (integer counts) per thread
      const auto& parts = this->Exact ? this->ThreadCounts : this->ChunkCounts;
      const auto& infos = this->Exact ? this->ThreadInfo : this->ChunkInfo;
      for (size_t c = 0; c < parts.size(); ++c)
      {
        for (int b = 0; b < nbins; ++b)
        {
          this->Request.Counts[b] += parts[c][static_cast<size_t>(b)];
        }
        AddCounts(total, infos[c]);
      }
      *this->Request.Info = total;
      return true;
    }
  };
};

//------------------------------------------------------------------------------
vtkAutoGradientOpacity::vtkAutoGradientOpacity()
{
  this->Renderer = VTK_GPU;
  this->Operator = vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE;
  this->Sigma = 1.0;
  this->EdgeMode = vtkGradientMagnitudeFilter::EDGE_COPY;
  this->GradientArrayName = nullptr;
  this->ScalarOpacity = nullptr;
  this->MaskArrayName = nullptr;
  this->NoiseMultiplier = 2.0;
  this->MinimumOpacity = 0.0;
  this->Sampling = SUBVOXEL;
  this->NumberOfThreads = 0;
  this->NumberOfSamples = 0;
  this->RandomSeed = 1;
  std::fill(this->CalibrationKey, this->CalibrationKey + 19, 0.0);
  this->CalibrationMode = 0.0;
  this->CalibrationValid = 0;
  this->MadArray = nullptr;
  this->MadMask = nullptr;
  this->MadArrayTime = 0;
  this->MadMaskTime = 0;
  std::fill(this->MadExtent, this->MadExtent + 6, 0);
  this->MadSigma = 0.0;
  this->MadValid = 0;
  this->GridScratch = nullptr;
  this->GridScratchFloats = 0;
  this->RangeArray = nullptr;
  this->RangeArrayTime = 0;
  this->RangeValue[0] = this->RangeValue[1] = 0.0;
  this->RangeValid = 0;
  this->NumberOfBins = 2048;
  this->DynamicRange = 1.0e5;
  this->HistogramSmoothing = 8.0;
  this->NumberOfRampPoints = 16;
  this->NoiseFloor = this->NoiseFloorMode = this->PredictedNoiseFloor = 0.0;
  this->NoiseSigma = this->MedianGradient = 0.0;
  this->LowThreshold = this->HighThreshold = this->EdgeStrength = 0.0;
  this->GradientScale = 0.0;
  this->MeanSpacing = 1.0;
  this->ScalarRange[0] = this->ScalarRange[1] = 0.0;
  this->SetNumberOfInputPorts(1);
  this->SetNumberOfOutputPorts(2);
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

//------------------------------------------------------------------------------
vtkAutoGradientOpacity::~vtkAutoGradientOpacity()
{
  delete[] this->GridScratch;
  this->SetGradientArrayName(nullptr);
  this->SetMaskArrayName(nullptr);
  this->SetScalarOpacity(nullptr);
}

//------------------------------------------------------------------------------
void vtkAutoGradientOpacity::SetInputData(vtkImageData* image)
{
  this->SetInputDataObject(0, image);
}

//------------------------------------------------------------------------------
vtkPiecewiseFunction* vtkAutoGradientOpacity::GetGradientOpacityFunction()
{
  return vtkPiecewiseFunction::SafeDownCast(this->GetOutputDataObject(0));
}

//------------------------------------------------------------------------------
vtkTable* vtkAutoGradientOpacity::GetStatisticsTable()
{
  return vtkTable::SafeDownCast(this->GetOutputDataObject(1));
}

//------------------------------------------------------------------------------
int vtkAutoGradientOpacity::FillInputPortInformation(int, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  return 1;
}

//------------------------------------------------------------------------------
int vtkAutoGradientOpacity::FillOutputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkDataObject::DATA_TYPE_NAME(), port == 0 ? "vtkPiecewiseFunction" : "vtkTable");
  return 1;
}

//------------------------------------------------------------------------------
vtkTypeBool vtkAutoGradientOpacity::ProcessRequest(
  vtkInformation* request, vtkInformationVector** inInfo, vtkInformationVector* outInfo)
{
  if (request->Has(vtkDemandDrivenPipeline::REQUEST_DATA_OBJECT()))
  {
    return this->RequestDataObject(request, inInfo, outInfo);
  }
  if (request->Has(vtkStreamingDemandDrivenPipeline::REQUEST_UPDATE_EXTENT()))
  {
    return this->RequestUpdateExtent(request, inInfo, outInfo);
  }
  if (request->Has(vtkDemandDrivenPipeline::REQUEST_DATA()))
  {
    return this->RequestData(request, inInfo, outInfo);
  }
  return this->Superclass::ProcessRequest(request, inInfo, outInfo);
}

//------------------------------------------------------------------------------
int vtkAutoGradientOpacity::RequestDataObject(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  vtkInformation* info0 = outputVector->GetInformationObject(0);
  if (!vtkPiecewiseFunction::SafeDownCast(info0->Get(vtkDataObject::DATA_OBJECT())))
  {
    vtkNew<vtkPiecewiseFunction> f;
    info0->Set(vtkDataObject::DATA_OBJECT(), f);
  }
  vtkInformation* info1 = outputVector->GetInformationObject(1);
  if (!vtkTable::SafeDownCast(info1->Get(vtkDataObject::DATA_OBJECT())))
  {
    vtkNew<vtkTable> t;
    info1->Set(vtkDataObject::DATA_OBJECT(), t);
  }
  return 1;
}

//------------------------------------------------------------------------------
int vtkAutoGradientOpacity::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector*)
{
  // The statistics need the whole image. Under a piece request (UpdatePiece,
  // MPI ranks) the executive copies the piece keys upstream and a source that
  // can produce sub-extents converts them back to its piece extent, so the
  // whole UPDATE_EXTENT alone is not enough: ask for piece 0 of 1, no ghosts.
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  if (inInfo && inInfo->Has(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()))
  {
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(),
      inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()), 6);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_PIECE_NUMBER(), 0);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES(), 1);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS(), 0);
  }
  return 1;
}

//------------------------------------------------------------------------------
int vtkAutoGradientOpacity::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkPiecewiseFunction* func = vtkPiecewiseFunction::GetData(outputVector, 0);
  vtkTable* table = vtkTable::GetData(outputVector, 1);
  if (!func || !table)
  {
    return 0;
  }
  func->RemoveAllPoints();
  table->Initialize();
  this->NoiseFloor = this->NoiseFloorMode = this->PredictedNoiseFloor = 0.0;
  this->NoiseSigma = this->MedianGradient = 0.0;
  this->LowThreshold = this->HighThreshold = this->EdgeStrength = 0.0;
  this->GradientScale = 0.0;
  this->ScalarRange[0] = this->ScalarRange[1] = 0.0;

  if (!input || input->GetNumberOfPoints() < 1)
  {
    vtkErrorMacro("No input image or empty extent.");
    return 1;
  }
  vtkDataArray* scalars = this->GetInputArrayToProcess(0, inputVector);
  if (!scalars)
  {
    scalars = gradientopacity::ActiveScalarsIfUnnamed(this, 0, input);
  }
  if (!scalars)
  {
    vtkErrorMacro("The input has no scalars to process.");
    return 1;
  }
  if (scalars->GetNumberOfComponents() != 1)
  {
    vtkWarningMacro("Multi-component scalars: using component 0.");
  }
  double spacing[3];
  input->GetSpacing(spacing);
  for (int a = 0; a < 3; ++a)
  {
    if (!(spacing[a] > 0.0) || !std::isfinite(spacing[a]))
    {
      vtkErrorMacro("Spacing must be positive and finite.");
      return 1;
    }
  }
  this->MeanSpacing = (spacing[0] + spacing[1] + spacing[2]) / 3.0;

  // R: the finite range, as the mappers use it.
  double range[2];
  if (!(this->RangeValid && this->RangeArray == scalars &&
        this->RangeArrayTime == scalars->GetMTime()))
  {
    gradientopacity::FiniteRange(scalars, 0, this->RangeValue);
    this->RangeArray = scalars;
    this->RangeArrayTime = scalars->GetMTime();
    this->RangeValid = 1;
  }
  range[0] = this->RangeValue[0];
  range[1] = this->RangeValue[1];
  this->ScalarRange[0] = range[0];
  this->ScalarRange[1] = range[1];
  const double R = range[1] - range[0];
  this->GradientScale = 0.25 * R;
  const double gmax = this->GradientScale;

  vtkDataArray* gradient = nullptr;
  if (this->GradientArrayName && *this->GradientArrayName)
  {
    gradient = input->GetPointData()->GetArray(this->GradientArrayName);
    if (!gradient)
    {
      vtkErrorMacro("No point array named " << this->GradientArrayName);
      return 1;
    }
  }
  vtkDataArray* mask = nullptr;
  if (this->MaskArrayName && *this->MaskArrayName)
  {
    mask = input->GetPointData()->GetArray(this->MaskArrayName);
    if (!mask)
    {
      vtkErrorMacro("No point array named " << this->MaskArrayName);
      return 1;
    }
  }

  const Internals::Route route = Internals::RouteFor(this, spacing, scalars);
  const int nbins = this->NumberOfBins;
  const double logLo = -std::log(this->DynamicRange);
  std::vector<double> counts(nbins, 0.0), smoothed(nbins, 0.0);
  go_ao_result result = {};

  if (!(R > 0.0) || !std::isfinite(R))
  {
    vtkWarningMacro("Constant (or non-finite) image: the gradient opacity is a flat 1.0.");
    func->AddPoint(0.0, 1.0, 0.5, 0.0);
    func->AddPoint(1.0, 1.0, 0.5, 0.0);
  }
  else
  {
    // Scalar-opacity weights, sampled over the scalar range like the mappers.
    std::vector<float> lutTable;
    go_ao_lut lut = {};
    if (this->ScalarOpacity)
    {
      lutTable.resize(4096);
      this->ScalarOpacity->GetTable(range[0], range[1], 4096, lutTable.data());
      lut.table = lutTable.data();
      lut.size = 4096;
      lut.lo = range[0];
      lut.hi = range[1];
    }
    go_ao_counts info = {};
    Internals::HistogramRequest req;
    req.GMax = gmax;
    req.LogLo = logLo;
    req.NumberOfBins = nbins;
    req.Counts = counts.data();
    req.Info = &info;
    if (!Internals::Histogram(
          this, route, input, scalars, gradient, mask, this->ScalarOpacity ? &lut : nullptr, req))
    {
      return 1; // the reason was reported
    }
    go_ao_smooth(counts.data(), smoothed.data(), nbins, this->HistogramSmoothing);

    // Cross-check: MAD sigma of the scalars times the mode that unit white
    // noise gives through the same operator, spacing and sampling.
    go_ao_params params = {};
    params.k = this->NoiseMultiplier;
    params.floor_tolerance = 2.0;
    params.high_min_ratio = 1.5;
    if (!gradient)
    {
      int extent[6];
      input->GetExtent(extent);
      go_image sim, mim;
      MakeImage(scalars, extent, sim);
      const bool haveMask = mask && MakeImage(mask, extent, mim);
      const vtkMTimeType maskTime = mask ? mask->GetMTime() : 0;
      if (!(this->MadValid && this->MadArray == scalars && this->MadArrayTime == scalars->GetMTime() &&
            this->MadMask == mask && this->MadMaskTime == maskTime &&
            std::equal(extent, extent + 6, this->MadExtent)))
      {
        this->MadSigma = go_ao_mad_sigma(&sim, haveMask ? &mim : nullptr, GO_AO_MAD_MAX_PAIRS);
        this->MadArray = scalars;
        this->MadArrayTime = scalars->GetMTime();
        this->MadMask = mask;
        this->MadMaskTime = maskTime;
        std::copy(extent, extent + 6, this->MadExtent);
        this->MadValid = 1;
      }
      this->NoiseSigma = this->MadSigma;
      if (this->NoiseSigma > 0.0)
      {
        int dims[3];
        input->GetDimensions(dims);
        int cdims[3];
        int thick = 0;
        for (int a = 0; a < 3; ++a)
        {
          thick += dims[a] > 1 ? 1 : 0;
        }
        const int side = thick >= 3 ? 40 : (thick == 2 ? 256 : 65536);
        for (int a = 0; a < 3; ++a)
        {
          cdims[a] = dims[a] > 1 ? side : 1;
        }
        // The unit-noise histogram is taken relative to the same gmax so
        // that its bins are those of the data.
        const double unitMax = gmax / this->NoiseSigma;
        const double key[19] = { double(cdims[0]), double(cdims[1]), double(cdims[2]), spacing[0],
          spacing[1], spacing[2], double(this->Operator), this->Sigma, double(route.EdgeMode),
          double(route.Sampling), double(this->RandomSeed), double(nbins), logLo,
          this->HistogramSmoothing, unitMax, params.k, params.floor_tolerance,
          params.high_min_ratio, double(this->Renderer) };
        if (!(this->CalibrationValid && std::equal(key, key + 19, this->CalibrationKey)))
        {
          this->CalibrationValid = 0;
          vtkNew<vtkImageData> noise;
          noise->SetDimensions(cdims);
          noise->SetSpacing(spacing);
          vtkNew<vtkFloatArray> na;
          na->SetName("noise");
          na->SetNumberOfTuples(noise->GetNumberOfPoints());
          go_ao_gaussian_noise(na->GetPointer(0), static_cast<size_t>(na->GetNumberOfTuples()),
            0x9015e5eedull);
          noise->GetPointData()->SetScalars(na);
          std::vector<double> nc(nbins), ns(nbins);
          Internals::HistogramRequest nreq;
          nreq.GMax = unitMax;
          nreq.LogLo = logLo;
          nreq.NumberOfBins = nbins;
          nreq.Counts = nc.data();
          const vtkIdType savedSamples = this->NumberOfSamples;
          this->NumberOfSamples = 65536;
          const bool ok =
            Internals::Histogram(this, route, noise, na, nullptr, nullptr, nullptr, nreq);
          this->NumberOfSamples = savedSamples;
          if (ok)
          {
            go_ao_smooth(nc.data(), ns.data(), nbins, this->HistogramSmoothing);
            go_ao_params np = params;
            np.predicted_floor = 0.0;
            go_ao_result nr;
            go_ao_thresholds(nc.data(), ns.data(), nbins, logLo, unitMax, &np, &nr);
            this->CalibrationValid = nr.valid ? 1 : 2; // 2: known to give no mode
            this->CalibrationMode = nr.noise_floor_mode;
            std::copy(key, key + 19, this->CalibrationKey);
          }
        }
        if (this->CalibrationValid == 1)
        {
          this->PredictedNoiseFloor = this->CalibrationMode * this->NoiseSigma;
        }
      }
    }
    params.predicted_floor = this->PredictedNoiseFloor;
    go_ao_thresholds(counts.data(), smoothed.data(), nbins, logLo, gmax, &params, &result);

    if (!gradientopacity::AddCurve(
          func, result, gmax, this->MinimumOpacity, this->NumberOfRampPoints))
    {
      vtkWarningMacro("No non-zero gradient sample: the gradient opacity is a flat 1.0.");
    }
    else
    {
      this->NoiseFloorMode = result.noise_floor_mode;
      this->NoiseFloor = result.noise_floor;
      this->MedianGradient = result.median;
      this->LowThreshold = result.low;
      this->HighThreshold = result.high;
      this->EdgeStrength = result.edge_strength;
    }
  }

  // Statistics table.
  gradientopacity::Statistics st;
  st.NoiseFloor = this->NoiseFloor;
  st.NoiseFloorMode = this->NoiseFloorMode;
  st.PredictedNoiseFloor = this->PredictedNoiseFloor;
  st.NoiseSigma = this->NoiseSigma;
  st.MedianGradient = this->MedianGradient;
  st.LowThreshold = this->LowThreshold;
  st.HighThreshold = this->HighThreshold;
  st.EdgeStrength = this->EdgeStrength;
  st.GradientScale = this->GradientScale;
  st.MeanSpacing = this->MeanSpacing;
  st.ScalarRange[0] = this->ScalarRange[0];
  st.ScalarRange[1] = this->ScalarRange[1];
  st.NoiseMultiplier = this->NoiseMultiplier;
  st.Sampling = route.Sampling;
  st.Renderer = this->Renderer;
  gradientopacity::FillStatisticsTable(table, counts.data(), smoothed.data(), nbins, logLo, st);
  return 1;
}

//------------------------------------------------------------------------------
const char* vtkAutoGradientOpacity::GetRendererName(int renderer)
{
  switch (renderer)
  {
    case VTK_GPU:
      return "vtk-gpu";
    case VTK_CPU:
      return "vtk-cpu";
    case SLICER_GPU:
      return "slicer-gpu";
    case SLICER_CPU:
      return "slicer-cpu";
    case PARAVIEW:
      return "paraview";
    default:
      return "unknown";
  }
}

//------------------------------------------------------------------------------
double vtkAutoGradientOpacity::EvaluateOpacity(double g) const
{
  if (!(this->HighThreshold > 0.0))
  {
    return 1.0;
  }
  return go_ao_ramp(g, this->LowThreshold, this->HighThreshold, this->MinimumOpacity);
}

//------------------------------------------------------------------------------
void vtkAutoGradientOpacity::ApplyTo(vtkVolumeProperty* property, int component)
{
  if (!property)
  {
    return;
  }
  vtkPiecewiseFunction* f = this->GetGradientOpacityFunction();
  if (!f || f->GetSize() == 0)
  {
    vtkWarningMacro("ApplyTo: no gradient-opacity function (call Update() first).");
    return;
  }
  vtkNew<vtkPiecewiseFunction> copy;
  copy->DeepCopy(f);
  const int mode = property->GetTransferFunctionMode();
  // vtkVolumeProperty::SetGradientOpacity also switches the property to TF_1D.
  property->SetGradientOpacity(component, copy);
  property->SetDisableGradientOpacity(component, 0);
  if (mode == vtkVolumeProperty::TF_2D)
  {
    vtkWarningMacro("ApplyTo: the property was in TF_2D mode; setting a gradient-opacity "
                    "function switched it to TF_1D (its 2D transfer function is kept but unused).");
  }
}

//------------------------------------------------------------------------------
void vtkAutoGradientOpacity::ApplyTo(vtkVolume* volume, int component)
{
  if (!volume)
  {
    return;
  }
  vtkGPUVolumeRayCastMapper* gpu = vtkGPUVolumeRayCastMapper::SafeDownCast(volume->GetMapper());
  const bool fixedPoint = vtkFixedPointVolumeRayCastMapper::SafeDownCast(volume->GetMapper());
  const bool cpuProfile = this->Renderer == VTK_CPU || this->Renderer == SLICER_CPU;
  if ((gpu && cpuProfile) || (fixedPoint && !cpuProfile))
  {
    vtkWarningMacro("ApplyTo: the curve was computed for renderer "
      << this->GetRendererName() << " but the volume's mapper is a "
      << volume->GetMapper()->GetClassName() << ": its gradients differ.");
  }
  if (gpu && gpu->GetGradientOpacityRangeType() == vtkGPUVolumeRayCastMapper::NATIVE)
  {
    vtkWarningMacro("ApplyTo: the GPU mapper's GradientOpacityRangeType is NATIVE: its table "
                    "spans the function's own range while the shader still divides by 0.25 * R; "
                    "use SCALAR for this function's mapper units.");
  }
  this->ApplyTo(volume->GetProperty(), component);
}

//------------------------------------------------------------------------------
void vtkAutoGradientOpacity::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Renderer: " << GetRendererName(this->Renderer) << "\n";
  os << indent << "Operator: " << this->Operator << "\n";
  os << indent << "Sigma: " << this->Sigma << "\n";
  os << indent << "EdgeMode: " << this->EdgeMode << "\n";
  os << indent << "GradientArrayName: "
     << (this->GradientArrayName ? this->GradientArrayName : "(none)") << "\n";
  os << indent << "ScalarOpacity: " << this->ScalarOpacity << "\n";
  os << indent << "MaskArrayName: " << (this->MaskArrayName ? this->MaskArrayName : "(none)")
     << "\n";
  os << indent << "NoiseMultiplier: " << this->NoiseMultiplier << "\n";
  os << indent << "MinimumOpacity: " << this->MinimumOpacity << "\n";
  os << indent << "Sampling: " << (this->Sampling == GRID ? "GRID" : "SUBVOXEL") << "\n";
  os << indent << "NumberOfThreads: " << this->NumberOfThreads << "\n";
  os << indent << "NumberOfSamples: " << this->NumberOfSamples << "\n";
  os << indent << "RandomSeed: " << this->RandomSeed << "\n";
  os << indent << "NumberOfBins: " << this->NumberOfBins << "\n";
  os << indent << "DynamicRange: " << this->DynamicRange << "\n";
  os << indent << "HistogramSmoothing: " << this->HistogramSmoothing << "\n";
  os << indent << "NumberOfRampPoints: " << this->NumberOfRampPoints << "\n";
  os << indent << "NoiseFloor: " << this->NoiseFloor << "\n";
  os << indent << "NoiseFloorMode: " << this->NoiseFloorMode << "\n";
  os << indent << "PredictedNoiseFloor: " << this->PredictedNoiseFloor << "\n";
  os << indent << "NoiseSigma: " << this->NoiseSigma << "\n";
  os << indent << "LowThreshold: " << this->LowThreshold << "\n";
  os << indent << "HighThreshold: " << this->HighThreshold << "\n";
  os << indent << "EdgeStrength: " << this->EdgeStrength << "\n";
  os << indent << "GradientScale: " << this->GradientScale << "\n";
  os << indent << "MeanSpacing: " << this->MeanSpacing << "\n";
  os << indent << "ScalarRange: " << this->ScalarRange[0] << ", " << this->ScalarRange[1] << "\n";
}
