#!/bin/sh
# Prove that the README's two commands work on a fresh machine: build a
# minimal Debian root (debootstrap --variant=minbase) from the Debian mirror
# this machine's own apt sources name, copy a fresh clone of this repository
# (HEAD) and ../shared into it, and run inside, as root:
#
#   sh scripts/run-main.sh && sh scripts/run-tests.sh   [+ scripts/ci-reliability.sh]
#
#   sh scripts/ci-clean-root.sh RELEASE [--reliability] [--prepared] [--keep]
#
# RELEASE: bookworm, trixie or unstable. --reliability also runs the
# reliability jobs (bookworm only: they include the plain VTK 9.1 prefix).
# --keep leaves the root in place (its path is printed) for inspection.
#
# Cached between runs, under GO_CLEAN_ROOT_CACHE (default
# /var/cache/gradientopacity/clean-root): the minimal debootstrap root as a
# tarball (what a fresh machine is; GO_CLEAN_ROOT_REFRESH=1 rebuilds it) and
# downloaded .deb files. Everything else - every package the project's
# bootstrap installs, the build, the test output - is new in each run.
#
# --prepared (for the newer releases in CI, to keep it within its time): the
# root left by a successful run, with the packages the bootstrap installed, is
# kept as a tarball keyed by the release's package list and the installed
# versions. The next run extracts it, upgrades every package to the mirror's
# current version (apt-get dist-upgrade), and rebuilds the tarball when the
# versions changed; the clone, the build and the tests are new every run.
# Needs root, debootstrap (installed when missing) and ~6 GB in /var/tmp.
set -eu

release="${1:-}"
shift || true
reliability=0
prepared=0
keep=0
for a in "$@"; do
  case "$a" in
    --reliability) reliability=1 ;;
    --keep) keep=1 ;;
    --prepared) prepared=1 ;;
    *) echo "ci-clean-root: unknown option $a" >&2; exit 2 ;;
  esac
done
case "$release" in
  bookworm|trixie|unstable) ;;
  *) echo "usage: sh scripts/ci-clean-root.sh bookworm|trixie|unstable [--reliability] [--prepared] [--keep]" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
  echo "ci-clean-root: needs root (debootstrap, chroot, mounts)" >&2
  exit 1
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="$(cd "$repo/.." && pwd)/shared"
cache="${GO_CLEAN_ROOT_CACHE:-/var/cache/gradientopacity/clean-root}"
mkdir -p "$cache/debs-$release"
log() { echo "ci-clean-root[$release]: $*" >&2; }
now() { date +%s; }

# The mirror: the first Debian archive URI of this machine's apt sources
# (deb822 .sources files or one-line .list files), and its security archive.
mirrors() {
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -r "$f" ] && sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n'
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -r "$f" ] && sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' "$f"
    done
  } | grep -E '^(https?|file):' | awk '!seen[$0]++'
}
mirror="$(mirrors | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1 || true)"
security="$(mirrors | grep -- '-security' | head -n 1 || true)"
if [ -z "$mirror" ]; then
  log "no Debian archive found in /etc/apt/sources.list{,.d}"
  exit 1
fi
log "mirror from this machine's apt sources: $mirror${security:+ (security: $security)}"

command -v debootstrap >/dev/null 2>&1 || {
  log "installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
}

t_start=$(now)
# 1. The minimal root: cached as a tarball, extracted afresh every run.
tarball="$cache/minbase-$release.tar"
if [ ! -s "$tarball" ] || [ "${GO_CLEAN_ROOT_REFRESH:-0}" = 1 ]; then
  tmp="$(mktemp -d /var/tmp/go-debootstrap.XXXXXX)"
  log "debootstrap --variant=minbase $release"
  debootstrap --variant=minbase "$release" "$tmp" "$mirror" >"$cache/debootstrap-$release.log" 2>&1 || {
    tail -20 "$cache/debootstrap-$release.log" >&2; rm -rf "$tmp"; exit 1; }
  rm -f "$tmp"/var/cache/apt/archives/*.deb
  tar -C "$tmp" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf "$tmp"
fi
root="$(mktemp -d /var/tmp/go-clean-root-$release.XXXXXX)"
chmod 755 "$root"  # mktemp makes it 0700: apt's _apt user must traverse it
# A prepared root is keyed by the package list the bootstrap installs.
pkgkey="$(GO_DEBIAN_RELEASE="$release" sh "$repo/scripts/bootstrap.sh" --list | cksum | cut -d' ' -f1)"
ptarball="$cache/prepared-$release-$pkgkey.tar"
if [ "$prepared" = 1 ] && [ -s "$ptarball" ]; then
  tar -C "$root" -xf "$ptarball"
  t_root=$(now)
  log "prepared root (package list $pkgkey) in $root ($((t_root - t_start)) s)"
else
  [ "$prepared" = 1 ] && log "no prepared root for package list $pkgkey: starting from the minimal root"
  save_prepared=1
  tar -C "$root" -xf "$tarball"
  t_root=$(now)
  log "fresh minimal root in $root ($((t_root - t_start)) s)"
fi

cleanup() {
  for m in work/shared-cache var/cache/apt/archives dev/shm dev/pts dev sys proc; do
    mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then
    log "root kept: $root"
  else
    rm -rf "$root"
  fi
}
trap cleanup EXIT INT TERM

# 2. Apt sources of the release, from the same mirror; keep the downloaded
# packages (the cache is bind-mounted from the host).
case "$release" in
  unstable)
    echo "deb $mirror unstable main" >"$root/etc/apt/sources.list"
    # Snapshot mirrors serve unstable past its Release file's Valid-Until.
    echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99go-valid-until" ;;
  *)
    {
      echo "deb $mirror $release main"
      echo "deb $mirror $release-updates main"
      [ -n "$security" ] && echo "deb $security $release-security main"
    } >"$root/etc/apt/sources.list" ;;
esac
echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' >"$root/etc/apt/apt.conf.d/99go-keep-debs"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
mount --bind "$cache/debs-$release" "$root/var/cache/apt/archives"

# 3. A fresh clone of this repository's HEAD and a copy of ../shared.
mkdir -p "$root/work"
git clone -q --no-hardlinks "$repo" "$root/work/GradientOpacity"
log "clone of $(git -C "$repo" rev-parse --short HEAD)"
if [ -d "$shared" ]; then
  mkdir -p "$root/work/shared" && cp -a "$shared/." "$root/work/shared/"  # also when ../shared is a link
else
  log "no $shared beside the repository: the real-data tests will skip"
fi

# 4. The README's two commands, as root, with a clean environment.
inside() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TERM=dumb DEBIAN_FRONTEND=noninteractive /bin/sh -c "cd /work/GradientOpacity && $1"
}
step() {
  name="$1"
  t0=$(now)
  log "== $name"
  inside "$2"
  log "== $name ok ($(( $(now) - t0 )) s)"
}
versions() { inside "dpkg-query -W -f '\${Package} \${Version}\n'" | sort | cksum | cut -d' ' -f1; }
if [ "$prepared" = 1 ] && [ "${save_prepared:-0}" = 0 ]; then
  before="$(versions)"
  step "upgrade the prepared root to the mirror's versions" \
    "apt-get update -qq && apt-get -y -qq -o Dpkg::Use-Pty=0 dist-upgrade >/dev/null"
  [ "$before" = "$(versions)" ] || save_prepared=1
fi
step "run-main (set-up, build, main job)" "sh scripts/run-main.sh"
if [ "$prepared" = 1 ] && [ "${save_prepared:-0}" = 1 ]; then
  # Keep the root with the packages the bootstrap installed (not the clone,
  # the build or apt's lists).
  t0=$(now)
  tar -C "$root" --exclude=./work --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' \
    --exclude='./var/cache/apt/archives/*' --exclude='./var/lib/apt/lists/*' \
    -cf "$ptarball.part" . && mv "$ptarball.part" "$ptarball"
  for old in "$cache"/prepared-"$release"-*.tar; do
    [ "$old" = "$ptarball" ] || rm -f "$old"
  done
  log "prepared root saved ($(( $(now) - t0 )) s, $(du -m "$ptarball" | cut -f1) MB)"
fi
step "run-tests (whole suite)" "sh scripts/run-tests.sh"
if [ "$reliability" = 1 ]; then
  step "reliability jobs" "sh scripts/ci-reliability.sh"
fi
log "passed in $(( $(now) - t_start )) s"
