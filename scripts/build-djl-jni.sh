#!/usr/bin/env bash
# Builds DJL's PyTorch JNI library (libdjl_torch.so) for a torch release other than the one the
# pytorch-jni jar ships it for (2.7.1): e.g. the torch of a GPU node's Python. It installs the result
# where DJL looks for it and where TUNINGLAB_TORCH=<that torch/lib> then accepts the folder:
#   <DJL cache>/pytorch/<release>-<flavor>-linux-x86_64/<djl release>-libdjl_torch.so
# (DJL cache: ENGINE_CACHE_DIR, else DJL_CACHE_DIR, else ~/.djl.ai; flavor: cpu or the build's CUDA
# tag, e.g. cu130). Nothing is written into the torch folder, which may be read-only.
#
# Needs: the DJL source of the release on the class path (a checkout of DJL's git repository at the
# tag, e.g. v0.36.0: only engines/pytorch/pytorch-native/src/main/native, api/src/main/native and
# engines/pytorch/pytorch-engine/src/main/java are read); a JDK 17+ (javac, jni.h); g++; for a CUDA
# torch the CUDA headers (CUDA_HOME/include, /usr/local/cuda/include or pip's nvidia/*/include).
#
# Usage: scripts/build-djl-jni.sh --djl-source DIR --torch-lib DIR [--classpath CP] [--jobs N] [--keep-going]
#   --torch-lib   a pip wheel's .../site-packages/torch/lib or a libtorch zip's libtorch/lib
#   --classpath   jars holding DJL's api and pytorch-engine (default: cli/target/lib/*.jar)
#   --keep-going  link what compiled when a source file fails (its native methods are then missing and
#                 fail with UnsatisfiedLinkError when called); the failures are listed
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "build-djl-jni: $*" >&2; exit 1; }
say() { echo "build-djl-jni: $*" >&2; }

djl=""; torch_lib=""; classpath=""; jobs="$(nproc 2>/dev/null || echo 2)"; keep_going=0
while [ $# -gt 0 ]; do
  case "$1" in
    --djl-source) djl="$2"; shift ;;
    --torch-lib) torch_lib="$2"; shift ;;
    --classpath) classpath="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --keep-going) keep_going=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
[ -n "$djl" ] || die "--djl-source DIR is required (a checkout of DJL at the release of the pytorch-engine jar)"
[ -n "$torch_lib" ] || die "--torch-lib DIR is required (the folder holding libtorch.so)"
native="$djl/engines/pytorch/pytorch-native/src/main/native"
library_java="$djl/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
[ -f "$native/djl_pytorch_utils.h" ] || die "$djl: no engines/pytorch/pytorch-native/src/main/native/djl_pytorch_utils.h; is it a DJL checkout?"
[ -f "$djl/api/src/main/native/djl/utils.h" ] || die "$djl: no api/src/main/native/djl/utils.h"
[ -f "$library_java" ] || die "$djl: no $library_java"
torch_lib="$(cd "$torch_lib" && pwd)"
[ -f "$torch_lib/libtorch.so" ] || die "$torch_lib: no libtorch.so there"
torch_dir="$(dirname "$torch_lib")"
[ -f "$torch_dir/include/torch/csrc/api/include/torch/torch.h" ] \
  || die "$torch_dir/include: no torch/csrc/api/include/torch/torch.h (a wheel or libtorch zip carries its headers beside lib/)"

# The release and flavor, named as DJL's cache and LibtorchLocation name them.
version=""
if [ -f "$torch_dir/version.py" ]; then
  version="$(sed -nE "s/^__version__(: *str)? *= *['\"]([^'\"]+)['\"].*/\2/p" "$torch_dir/version.py" | head -1)"
elif [ -f "$torch_dir/build-version" ]; then
  version="$(head -1 "$torch_dir/build-version")"
fi
[ -n "$version" ] || die "$torch_dir: cannot tell the torch release (no version.py or build-version)"
release="${version%%+*}"
local_tag=""; [ "$release" != "$version" ] && local_tag="${version#*+}"
cuda=0; [ -f "$torch_lib/libtorch_cuda.so" ] && cuda=1
if [ "$cuda" = 1 ]; then
  case "$local_tag" in cu[0-9]*) flavor="$local_tag" ;; *) die "$torch_dir: a CUDA build whose version '$version' names no cuNNN tag" ;; esac
else
  flavor=cpu
fi

# Java: javac for the JNI header, jni.h for the build.
javac="${JAVA_HOME:+$JAVA_HOME/bin/javac}"
[ -n "$javac" ] && [ -x "$javac" ] || javac="$(command -v javac || true)"
[ -n "$javac" ] || die "no javac (set JAVA_HOME to a JDK 17+)"
java_home="$(cd "$(dirname "$(readlink -f "$javac")")/.." && pwd)"
[ -f "$java_home/include/jni.h" ] || die "$java_home/include: no jni.h (a JDK, not a JRE, is needed)"
if [ -z "$classpath" ]; then
  classpath="$(ls "$root"/cli/target/lib/*.jar 2>/dev/null | paste -sd: -)"
  [ -n "$classpath" ] || die "no --classpath and no jars in cli/target/lib (build once with ./tuninglab --help)"
fi
djl_version="$(printf '%s' "$classpath" | tr ':' '\n' | sed -nE 's#.*/pytorch-engine-([0-9][^/]*)\.jar$#\1#p' | head -1)"
[ -n "$djl_version" ] || die "no pytorch-engine-<version>.jar on the class path"

cache="${ENGINE_CACHE_DIR:+$ENGINE_CACHE_DIR/pytorch}"
cache="${cache:-${DJL_CACHE_DIR:-$HOME/.djl.ai}/pytorch}"
target="$cache/$release-$flavor-linux-x86_64/$djl_version-libdjl_torch.so"
build="$(mktemp -d "${TMPDIR:-/tmp}/djl-jni.XXXXXX")"
say "torch $version ($flavor) in $torch_lib; DJL $djl_version from $djl; JDK $java_home; building in $build"

# 1. The header of PyTorchLibrary's native methods, from the Java source of the same release.
"$javac" -h "$build/include" -d "$build/classes" -cp "$classpath" \
  -sourcepath "$djl/engines/pytorch/pytorch-engine/src/main/java" "$library_java"
header="$build/include/ai_djl_pytorch_jni_PyTorchLibrary.h"
[ -f "$header" ] || die "javac wrote no $header"

# 2. Compiler settings that must match libtorch's: the C++ ABI, and the standard its headers need.
abi=0; grep -qa '__cxx11' "$torch_lib/libc10.so" && abi=1
includes=(-I"$build/include" -I"$java_home/include" -I"$java_home/include/linux" -I"$djl/api/src/main/native"
  -isystem "$torch_dir/include" -isystem "$torch_dir/include/torch/csrc/api/include")
defines=(-D_GLIBCXX_USE_CXX11_ABI=$abi)
libs=(-ltorch -ltorch_cpu -lc10)
if [ "$cuda" = 1 ]; then
  defines+=(-DUSE_CUDA)
  libs+=(-ltorch_cuda -lc10_cuda)
  found_cuda=0
  for dir in "${CUDA_HOME:+$CUDA_HOME/include}" /usr/local/cuda/include "$torch_dir"/../nvidia/*/include "$torch_dir"/../nvidia/*/*/include; do
    if [ -n "$dir" ] && [ -d "$dir" ]; then
      includes+=(-isystem "$dir")
      [ -f "$dir/cuda_runtime_api.h" ] && found_cuda=1
    fi
  done
  [ "$found_cuda" = 1 ] || die "a CUDA torch, but no cuda_runtime_api.h under CUDA_HOME/include, /usr/local/cuda/include or $torch_dir/../nvidia/*/include"
fi
std=c++17
if ! echo '#include <torch/torch.h>' | g++ -x c++ -std=c++17 -fsyntax-only "${defines[@]}" "${includes[@]}" - 2>"$build/probe.log"; then
  grep -qi 'c++20\|c++2a' "$build/probe.log" || { cat "$build/probe.log" >&2; die "torch/torch.h does not compile with g++ -std=c++17 (above)"; }
  std=c++20
fi
say "g++ -std=$std, _GLIBCXX_USE_CXX11_ABI=$abi$([ "$cuda" = 1 ] && echo ', USE_CUDA')"

# 3. Every source file, in parallel; each one's errors in its own log.
export build std
export compile_flags="-O2 -fPIC -w ${defines[*]} $(printf '%q ' "${includes[@]}")"
ls "$native"/*.cc | xargs -P "$jobs" -I{} bash -c \
  'f="{}"; n="$(basename "$f" .cc)"; eval g++ -std=$std $compile_flags -c "$f" -o "$build/$n.o" 2> "$build/$n.log" || echo "$n" >> "$build/failed"'
if [ -f "$build/failed" ]; then
  for n in $(sort "$build/failed"); do say "FAILED $n.cc:"; grep -m 5 'error' "$build/$n.log" >&2 || tail -5 "$build/$n.log" >&2; done
  [ "$keep_going" = 1 ] || die "$(wc -l < "$build/failed") source file(s) did not compile (above); logs in $build"
fi
objects=("$build"/*.o)
[ -e "${objects[0]}" ] || die "nothing compiled; logs in $build"

# 4. Link against the folder's libraries (loaded by DJL before this one), then install atomically.
g++ -shared -o "$build/libdjl_torch.so" "${objects[@]}" -L"$torch_lib" -Wl,-rpath,"$torch_lib" \
  -Wl,--no-as-needed "${libs[@]}" -Wl,--as-needed
declared="$(grep -c '^JNIEXPORT' "$header")"
defined="?"
command -v nm >/dev/null && defined="$(nm -D --defined-only "$build/libdjl_torch.so" | grep -c ' Java_ai_djl_pytorch_jni_PyTorchLibrary_' || true)"
say "native methods: $defined of $declared defined$([ -f "$build/failed" ] && echo "; missing with: $(sort "$build/failed" | paste -sd' ' -)")"
mkdir -p "$(dirname "$target")"
cp "$build/libdjl_torch.so" "$target.tmp.$$"
mv "$target.tmp.$$" "$target"
say "installed $target"
echo "$target"
