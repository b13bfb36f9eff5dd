#!/usr/bin/env bash
# Builds (or completes) the Debian sid chroot that the benchmarks use for their current peers: PyTorch 2.x
# (python3-torch with OpenBLAS and oneDNN) and llama.cpp (llama-bench, llama-batched-bench, llama-server and the
# HF -> GGUF converter). Needs root, debootstrap and Debian's mirror; ~2.5 GB, ~5-10 minutes. Safe to re-run: an
# existing chroot only gets what is missing, and /proc is mounted if it is not.
#
#   bash bench/peers/setup-sid.sh            # the chroot at $PHAROS_SID_CHROOT, default /tmp/hfref
#
# Benchmarks look for the chroot at the same path and say when it is absent. CI never builds it.
set -euo pipefail
root=${PHAROS_SID_CHROOT:-/tmp/hfref}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=(python3-torch python3-numpy python3-safetensors python3-transformers python3-sentencepiece python3-gguf
  python3-protobuf libopenblas0-pthread llama.cpp llama.cpp-tools llama.cpp-tools-extra
  libtcmalloc-minimal4t64)  # only for PHAROS_PEER_MALLOC=tcmalloc (the peers run with glibc's malloc unless asked)

if [ "$(id -u)" != 0 ]; then echo "setup-sid.sh: needs root (debootstrap, chroot, mount)" >&2; exit 1; fi
if [ ! -x "$root/usr/bin/apt-get" ]; then
  # A fresh machine's package lists can be empty: update them before installing debootstrap.
  command -v debootstrap >/dev/null || { apt-get update && apt-get install -y --no-install-recommends debootstrap; }
  echo "building a Debian sid chroot at $root"
  debootstrap --variant=minbase --include=python3-minimal sid "$root" "$mirror"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"   # torch and llama.cpp read /proc (CPU count, features)
missing=()
for p in "${packages[@]}"; do
  chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  # The mirror's sid Release file can be past its Valid-Until date; the packages themselves are still signed.
  chroot "$root" apt-get -o Acquire::Check-Valid-Until=false update
  chroot "$root" apt-get -o Acquire::Check-Valid-Until=false install -y --no-install-recommends "${missing[@]}"
fi
mkdir -p "$root/tmp" && chmod 1777 "$root/tmp"
chroot "$root" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 -c \
  'import torch, numpy; print("torch", torch.__version__, "threads", torch.get_num_threads())'
chroot "$root" sh -c 'ls /usr/bin/llama-bench /usr/bin/llama-batched-bench /usr/bin/llama-server' >/dev/null
echo "sid chroot ready at $root"
