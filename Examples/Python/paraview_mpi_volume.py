"""Automatic gradient opacity on a cluster: ParaView's MPI engine reads a
volume in parallel, "Auto Gradient Opacity" computes the function with each
rank holding only its piece (the distributed route), and the result is
applied to a volume representation and rendered (parallel compositing).

    mpiexec -n 4 pvbatch --force-offscreen-rendering paraview_mpi_volume.py \\
        volume.pvti [--array NAME] [--sampling Sub-voxel|Grid] [--out render.png]

Any image file ParaView reads in parallel works (.pvti as ParaView writes
it, .vti, ...). The plugin is found through gradientopacity.paraview_helpers
(GRADIENTOPACITY_PLUGIN overrides). Run unchanged on one process with plain
`pvbatch`. Prints the route that ran ("reduced" under MPI: the work was
divided) and the largest share of the volume any rank received.
"""
import argparse

from paraview import simple
from gradientopacity import paraview_helpers as gph


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("volume")
    ap.add_argument("--array", default=None, help="point array to render (default: the first)")
    ap.add_argument("--sampling", default="Sub-voxel", choices=["Sub-voxel", "Grid"])
    ap.add_argument("--noise-multiplier", type=float, default=2.0)
    ap.add_argument("--out", default="gradient_opacity_render.png")
    ap.add_argument("--size", type=int, nargs=2, default=[800, 800])
    args = ap.parse_args()

    gph.load_plugin(ns=simple.__dict__)
    reader = simple.OpenDataFile(args.volume)  # a parallel reader: each rank reads its piece
    if reader is None:
        raise SystemExit("ParaView cannot read %s" % args.volume)
    view = simple.CreateView("RenderView")
    view.ViewSize = args.size
    # Volume representation with the automatic gradient opacity (the gradient
    # magnitude array as ParaView's separate opacity array).
    result = gph.apply_auto_gradient_opacity(reader, view, scalars=args.array,
                                             sampling=args.sampling,
                                             noise_multiplier=args.noise_multiplier)
    stats = result["stats"]
    table = gph.fetch_table(result["auto"])
    fd = table.GetFieldData()
    route = fd.GetAbstractArray("Route").GetValue(0) if fd.GetAbstractArray("Route") else "?"
    largest = fd.GetArray("LargestPieceFraction")
    print("route: %s, largest share of the volume on one rank: %s" %
          (route, "%.3f" % largest.GetValue(0) if largest else "?"))
    print("low threshold %.6g, high threshold %.6g, noise floor %.6g (mapper units)" %
          (stats["LowThreshold"], stats["HighThreshold"], stats["NoiseFloor"]))
    print("control points (g, opacity):", ", ".join("(%.4g, %.3g)" % p for p in result["points"]))
    simple.ResetCamera(view)
    simple.Render(view)
    simple.SaveScreenshot(args.out, view, ImageResolution=args.size)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
