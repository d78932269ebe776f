"""Progress reporting of the gradient-opacity tool on stderr.

Three modes:
  - "bar":   a one-line progress bar redrawn with carriage returns, driven by
             VTK ProgressEvent observers (stderr is a terminal);
  - "lines": one line per finished step with its wall time (stderr is not a
             terminal: logs, CI);
  - "quiet": nothing (--quiet).
"""
import sys
import time
from contextlib import contextmanager

PREFIX = "gradient-opacity"


def choose_mode(quiet, stream=None):
    stream = stream or sys.stderr
    if quiet:
        return "quiet"
    try:
        return "bar" if stream.isatty() else "lines"
    except (AttributeError, ValueError):
        return "lines"


class Progress:
    """Reports steps; `step()` is a context manager yielding a Step."""

    BAR_WIDTH = 30

    def __init__(self, mode="lines", stream=None):
        self.mode = mode
        self.stream = stream or sys.stderr
        self.timings = {}

    def message(self, text):
        """A free-form line (not a step), suppressed in quiet mode."""
        if self.mode != "quiet":
            self.stream.write("%s: %s\n" % (PREFIX, text))
            self.stream.flush()

    @contextmanager
    def step(self, key, label):
        s = _Step(self, label)
        s.draw(0.0)
        t0 = time.perf_counter()
        ok = False
        try:
            yield s
            ok = True
        finally:
            dt = time.perf_counter() - t0
            self.timings[key] = round(dt, 3)
            s.finish(dt, ok)


class _Step:
    def __init__(self, progress, label):
        self.p = progress
        self.label = label
        self.last_draw = -1.0
        self.last_fraction = -1.0
        self.detail = ""

    # VTK observer: alg.AddObserver("ProgressEvent", step.vtk_observer)
    def vtk_observer(self, caller, _event):
        self.draw(caller.GetProgress())

    def watch(self, algorithm, lo=0.0, hi=1.0):
        """Map the algorithm's progress [0,1] onto [lo,hi] of this step."""

        def obs(caller, _event):
            self.draw(lo + (hi - lo) * caller.GetProgress())

        return algorithm.AddObserver("ProgressEvent", obs)

    def draw(self, fraction):
        if self.p.mode != "bar":
            return
        fraction = min(max(float(fraction), 0.0), 1.0)
        now = time.perf_counter()
        # Throttle redraws: at most ~20 per second, always on a visible change.
        if fraction < 1.0 and now - self.last_draw < 0.05 and fraction - self.last_fraction < 0.02:
            return
        self.last_draw, self.last_fraction = now, fraction
        n = int(round(fraction * Progress.BAR_WIDTH))
        bar = "#" * n + "-" * (Progress.BAR_WIDTH - n)
        self.p.stream.write("\r%-26s [%s] %3d%%" % (self.label[:26], bar, int(fraction * 100)))
        self.p.stream.flush()

    def note(self, text):
        """Extra information printed with the step's final line."""
        self.detail = text

    def finish(self, dt, ok):
        if self.p.mode == "quiet":
            return
        status = "done" if ok else "failed"
        extra = (" (%s)" % self.detail) if self.detail else ""
        if self.p.mode == "bar":
            self.p.stream.write("\r\033[K%-26s %s in %.2f s%s\n" % (self.label[:26], status, dt, extra))
        else:
            self.p.stream.write("%s: %s: %s in %.2f s%s\n" % (PREFIX, self.label, status, dt, extra))
        self.p.stream.flush()
