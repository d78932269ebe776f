"""histogram.png of the gradient-opacity tool: the log-gradient histogram
(matplotlib, Agg backend, offscreen) with the noise floor, the thresholds
and the automatic gradient-opacity curve drawn over it."""
import numpy as np

SIZE_PX = (1200, 700)
DPI = 100


def plot_histogram(path, centres, counts, smoothed, noise_floor, low, high, gmax,
                   curve, mean_spacing, title, flat_level=1.0,
                   units_label="scalar units per mean voxel spacing"):
    """Write the PNG to `path`. x values in the renderer's units
    (`units_label`); `curve`: [(x, y)]. mean_spacing > 0 adds a per-world-unit
    axis on top (only meaningful for per-mean-voxel units)."""
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    centres = np.asarray(centres, dtype=float)
    counts = np.asarray(counts, dtype=float)
    smoothed = np.asarray(smoothed, dtype=float)
    keep = centres > 0
    centres, counts, smoothed = centres[keep], counts[keep], smoothed[keep]

    fig, ax = plt.subplots(figsize=(SIZE_PX[0] / DPI, SIZE_PX[1] / DPI), dpi=DPI)
    total = counts.sum() if counts.sum() > 0 else 1.0
    # Density per bin (bins are uniform in log g).
    ax.fill_between(centres, counts / total, step="mid", color="#9ecae1", alpha=0.8,
                    label="gradient histogram (weighted)", linewidth=0)
    ax.plot(centres, smoothed / max(smoothed.sum(), 1e-300), color="#3182bd", lw=1.2,
            label="smoothed")
    ax.set_xscale("log")
    nz = centres[counts > 0]
    if nz.size:
        xmin = max(nz.min() * 0.8, gmax * 1e-5)
        ax.set_xlim(xmin, gmax * 1.05)
    ax.set_xlabel("gradient magnitude |grad f| (%s; gmax = 0.25 R = %.4g)"
                  % (units_label, gmax))
    ax.set_ylabel("fraction of samples per bin")
    ax.set_ylim(bottom=0)
    for x, c, lab in ((noise_floor, "#636363", "noise floor %.4g"),
                      (low, "#e6550d", "low threshold %.4g"),
                      (high, "#31a354", "high threshold (edge strength) %.4g")):
        if x and x > 0:
            ax.axvline(x, color=c, ls="--", lw=1.3, label=lab % x)

    ax2 = ax.twinx()
    if curve:
        cx = np.array([p[0] for p in curve], dtype=float)
        cy = np.array([p[1] for p in curve], dtype=float)
        # On a log axis x = 0 is invisible: start the drawing at the view's left.
        left = ax.get_xlim()[0]
        cx = np.where(cx <= 0, left, cx)
        ax2.plot(cx, cy, color="#a50f15", lw=2.2, label="automatic gradient opacity")
    ax2.axhline(flat_level, color="#a50f15", lw=1, ls=":", label="flat gradient opacity")
    ax2.set_ylim(0, 1.05)
    ax2.set_ylabel("gradient opacity", color="#a50f15")

    if mean_spacing > 0:
        sec = ax.secondary_xaxis("top", functions=(lambda g: g / mean_spacing,
                                                   lambda p: p * mean_spacing))
        sec.set_xlabel("per world unit (e.g. per mm) = mapper / mean spacing (%.4g)"
                       % mean_spacing)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=9, framealpha=0.9)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI, format="png")
    plt.close(fig)
