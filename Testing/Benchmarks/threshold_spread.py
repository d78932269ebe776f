"""Seed-to-seed spread of vtkAutoGradientOpacity's thresholds on real volumes
(headsq and the MR head from the repository's Data/, the others from
../shared/data when present).

For each volume: 12 runs with RandomSeed 1..12 (default settings, or
NumberOfSamples = N), then the mean and the coefficient of variation of the
low and high thresholds (mapper units). The accuracy side of the sample-count
choice (docs/algorithm.md); not a test.

    PYTHONPATH=build/lib/python3.11/site-packages /usr/bin/python3 \
        Testing/Benchmarks/threshold_spread.py [N [FILE,FILE...]]
"""
import os
import statistics
import sys

import gradientopacity as go
from gradientopacity.readers import read_volume

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("GO_SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
REPO_DATA = os.path.join(HERE, "..", "..", "Data")


def path_of(name):
    if name == "headsq":  # VTK's 64x64x93 CT slices, in one file
        name = "headsq-quarter.mha"
    local = os.path.join(REPO_DATA, name)
    return local if os.path.isfile(local) else os.path.join(DATA, name)


def load(name):
    out = read_volume(path_of(name))
    return out[0] if isinstance(out, tuple) else out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    names = sys.argv[2].split(",") if len(sys.argv) > 2 else [
        "embryo.slc", "headsq", "HeadMRVolume.mhd", "avg152T1_RL_nifti.nii.gz", "hydrogen.vti"]
    print("samples: %s" % (n or "default"))
    for name in names:
        if not os.path.isfile(path_of(name)):
            print("%s: not found in Data/ or %s (set GO_SHARED_DATA): skipped" % (name, DATA))
            continue
        image = load(name)
        lows, highs = [], []
        for seed in range(1, 13):
            a = go.vtkAutoGradientOpacity()
            a.SetInputData(image)
            a.SetRandomSeed(seed)
            if n:
                a.SetNumberOfSamples(n)
            a.Update()
            lows.append(a.GetLowThreshold())
            highs.append(a.GetHighThreshold())

        def cv(v):
            return 100.0 * statistics.pstdev(v) / statistics.mean(v)

        print("%-26s low %10.5g (spread %5.2f %%)  high %10.5g (spread %5.2f %%)" % (
            name, statistics.mean(lows), cv(lows), statistics.mean(highs), cv(highs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
