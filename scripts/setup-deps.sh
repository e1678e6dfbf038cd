#!/usr/bin/env bash
# Installs everything the build needs on a fresh Debian 12 machine, idempotently.
#  - Debian packages through apt-get (only the missing ones; apt-get update once).
#  - V8 from Debian's libnode: `libnode-dev` where apt can install it, otherwise
#    (a machine that carries a newer nodejs package) the two .debs are unpacked
#    with `dpkg -x` into .deps/libnode, which CMake finds through V8_ROOT.
# Quick when nothing changed: a stamp records the script's own hash.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEPS="$ROOT/.deps"
STAMP="$DEPS/setup.stamp"
SELF_HASH=$(sha256sum "$0" | cut -d' ' -f1)

mkdir -p "$DEPS"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$SELF_HASH" ]]; then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

PACKAGES=(
  cmake make g++ ninja-build pkg-config
  clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 clang-format clang-tidy
  libclang-rt-14-dev  # libFuzzer and the sanitizer runtimes for clang (fuzz/)
  wabt libboost-dev libtomlplusplus-dev libcli11-dev libspdlog-dev nlohmann-json3-dev
  libsqlite3-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev
  # the server's tests drive it with clients we did not write
  curl python3 python3-websocket
  # runtime dependencies of libnode108, needed when it is unpacked by hand
  libuv1 libbrotli1 libc-ares2 libicu72 libnghttp2-14 zlib1g
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

apt_updated=0
apt_update_once() {
  if [[ $apt_updated -eq 0 ]]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- V8 (libnode) -----------------------------------------------------------
v8_system() { [[ -f /usr/include/node/v8.h ]] && ls /usr/lib/*/libnode.so >/dev/null 2>&1; }
v8_local() { [[ -f "$DEPS/libnode/usr/include/node/v8.h" ]] && ls "$DEPS"/libnode/usr/lib/*/libnode.so.* >/dev/null 2>&1; }

if ! v8_system && ! v8_local; then
  apt_update_once
  if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libnode-dev 2>/dev/null; then
    echo "setup: installed libnode-dev from apt"
  else
    echo "setup: libnode-dev conflicts with this machine's nodejs; unpacking it into .deps/libnode"
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download libnode108 libnode-dev >/dev/null)
    rm -rf "$DEPS/libnode"
    mkdir -p "$DEPS/libnode"
    for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$DEPS/libnode"; done
    rm -rf "$tmp"
    # libnode-dev ships the unversioned symlink; make sure it points inside .deps.
    libdir=$(dirname "$(ls "$DEPS"/libnode/usr/lib/*/libnode.so.108)")
    ln -sf libnode.so.108 "$libdir/libnode.so"
  fi
fi

echo "$SELF_HASH" >"$STAMP"
echo "setup: dependencies ready"
