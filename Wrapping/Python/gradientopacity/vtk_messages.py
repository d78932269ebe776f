"""Capture VTK's error and warning messages instead of letting VTK print
them (with logger decorations) on stderr, so the tool can report them as
short lines and turn reader errors into clear exit-code-3 messages."""
import re

_PATTERN = re.compile(
    r"(ERROR|Warning|Generic Warning|Debug):\s*In\s+[^\n]*?,\s*line\s+\d+\n(.*?)(?:\n\n|\Z)",
    re.DOTALL)


class VTKMessages:
    """Install with `install()`; `drain()` returns [(kind, text)] since last drain."""

    def __init__(self):
        self.window = None
        self.previous = None
        self.consumed = 0

    def install(self):
        from vtkmodules.vtkCommonCore import vtkLogger, vtkOutputWindow, vtkStringOutputWindow
        vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_OFF)
        self.previous = vtkOutputWindow.GetInstance()
        self.window = vtkStringOutputWindow()
        vtkOutputWindow.SetInstance(self.window)
        return self

    def drain(self):
        if self.window is None:
            return []
        full = self.window.GetOutput() or ""
        text = full[self.consumed:]
        self.consumed = len(full)
        out = []
        for kind, body in _PATTERN.findall(text):
            body = body.strip()
            # Drop the vtkInformation dumps of executive failures.
            body = body.split("\n  Debug:", 1)[0]
            body = re.sub(r"^\S+ \(0x[0-9a-fA-F]+\):\s*", "", body)
            body = re.sub(r"\s*\(0x[0-9a-fA-F]+\)", "", body)
            out.append(("error" if kind == "ERROR" else "warning", " ".join(body.split())))
        return out


def first_error(messages):
    """The most informative error: the first that is not an executive echo."""
    errs = [t for k, t in messages if k == "error"]
    useful = [t for t in errs if "returned failure for request" not in t]
    return (useful or errs or [None])[0]
