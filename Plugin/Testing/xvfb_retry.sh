#!/bin/sh
# Run "xvfb-run -a <command...>" and retry (at most 3 runs) ONLY when the run
# died because the X connection could not be opened. That happens on a busy
# shared host: VTK's vtkXOpenGLRenderWindow::CreateAWindow logs
# "bad X server connection" and aborts before the test script has run a line.
# Any other failure is returned as is, on the first run.
# Usage: xvfb_retry.sh <xvfb-run> <command> [args...]
xvfb="$1"
shift
out="${TMPDIR:-/tmp}/go_xvfb_retry.$$"
n=1
while :; do
  "$xvfb" -a "$@" >"$out" 2>&1
  rc=$?
  if [ "$n" -lt 3 ] && grep -q "bad X server connection" "$out"; then
    echo "xvfb_retry: run $n could not open the X display; retrying" >&2
    n=$((n + 1))
    sleep 2
    continue
  fi
  cat "$out"
  rm -f "$out"
  exit $rc
done
