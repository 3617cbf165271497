#!/usr/bin/env bash
# The GPU check: measures, in one run, on a machine with only Python PyTorch and CUDA installed,
#   - a LoRA and a QLoRA training step on a Qwen2.5-0.5B-shaped random model (hidden 896, 24 layers,
#     14/2 heads, ffn 4864, vocab 151936; untied head, no q/k/v bias) at batch 8 x 512 tokens, in fp16
#     and bf16: tokens/s and peak memory, Java/DJL against the same step in plain PyTorch + LoRA;
#   - 10 fp16 steps of the tiny preset (configs/tuninglab-tiny-lora.yaml) against 10 fp32 steps;
#   - generation tokens/s (KV cache, greedy, batch 1) on the same 0.5B-shaped model, Java and PyTorch.
# It brings its own Java: a JDK/JRE 17 on PATH or in JAVA_HOME, else a Debian JRE package
# (openjdk-17-jre-headless_*.deb, `apt-get download openjdk-17-jre-headless` on any Debian/Ubuntu box)
# named by GPU_CHECK_JRE_DEB, unpacked in place. Jars: cli/target (./tuninglab builds them) or
# GPU_CHECK_CLASSPATH. libtorch: TUNINGLAB_TORCH, else the python3 torch's torch/lib when it is the
# release DJL's JNI is built for (2.7.1), else (with GPU_CHECK_DJL_SOURCE) that torch with a JNI built for it.
#
# Usage: scripts/gpu-check.sh [--dry-run] [--out DIR]
#   --dry-run  CPU only, tiny shapes, fp32, a couple of steps: checks the script end to end (CI runs it).
# Environment: GPU_CHECK_JAVA, GPU_CHECK_JRE_DEB, GPU_CHECK_CLASSPATH, GPU_CHECK_PYTHON (default python3),
# GPU_CHECK_DJL_SOURCE (a DJL v0.36.0 checkout: when python3's torch is not 2.7.1, DJL's JNI is built
# for it with scripts/build-djl-jni.sh, which needs a JDK, g++ and the CUDA headers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dry=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry=1 ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$root/gpu-check-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
work="$out/work"
mkdir -p "$work"
results="$out/results.jsonl"
: > "$results"
say() { echo "gpu-check: $*" | tee -a "$out/summary.txt" >&2; }
die() { echo "gpu-check: $*" >&2; exit 1; }

# 1. Java 17+.
java_ok() { [ -x "$1" ] && "$1" -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; }
java=""
for candidate in "${GPU_CHECK_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)"; do
  if [ -n "$candidate" ] && java_ok "$candidate"; then java="$candidate"; break; fi
done
if [ -z "$java" ]; then
  deb="${GPU_CHECK_JRE_DEB:-}"
  [ -n "$deb" ] && [ -f "$deb" ] || die "no Java 17+ (tried GPU_CHECK_JAVA, JAVA_HOME, PATH) and no GPU_CHECK_JRE_DEB package to unpack; run \`apt-get download openjdk-17-jre-headless\` on a Debian/Ubuntu machine and set GPU_CHECK_JRE_DEB to the .deb"
  mkdir -p "$work/jre"
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$deb" "$work/jre"
  else  # a .deb is an ar archive holding data.tar.*
    (cd "$work/jre" && ar x "$deb" && tar xf data.tar.* && rm -f data.tar.* control.tar.* debian-binary)
  fi
  java="$(find "$work/jre" -path '*/bin/java' -type f | head -1)"
  java_ok "$java" || die "unpacked $deb but $java does not run as Java 17+"
fi

# 2. The class path; on a GPU without the CPU native jar (DJL would take it over the CUDA build).
if [ -n "${GPU_CHECK_CLASSPATH:-}" ]; then
  classpath="$GPU_CHECK_CLASSPATH"
else
  cli_jar="$(ls "$root"/cli/target/tuninglab-cli-*.jar 2>/dev/null | head -1 || true)"
  [ -n "$cli_jar" ] && [ -d "$root/cli/target/lib" ] || die "no jars in cli/target: build once with ./tuninglab --help (or mvn -B -DskipTests package), or set GPU_CHECK_CLASSPATH"
  classpath="$cli_jar"
  for jar in "$root"/cli/target/lib/*.jar; do
    case "$(basename "$jar")" in pytorch-native-cpu-*) [ "$dry" = 1 ] && classpath="$classpath:$jar" ;; *) classpath="$classpath:$jar" ;; esac
  done
fi
if [ "$dry" = 0 ]; then
  classpath="$(printf '%s' "$classpath" | tr ':' '\n' | grep -v 'pytorch-native-cpu' | paste -sd: -)"
fi

# 3. libtorch.
python="${GPU_CHECK_PYTHON:-python3}"
has_torch=0
if "$python" -c 'import torch' >/dev/null 2>&1; then has_torch=1; fi
if [ "$dry" = 1 ]; then
  export TUNINGLAB_TORCH=cpu
elif [ -z "${TUNINGLAB_TORCH:-}" ]; then
  [ "$has_torch" = 1 ] || die "no TUNINGLAB_TORCH and $python has no torch: set TUNINGLAB_TORCH to a torch 2.7.1 CUDA build's torch/lib"
  torch_version="$("$python" -c 'import torch; print(torch.__version__)')"
  torch_lib="$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
  case "$torch_version" in
    2.7.1*) ;;
    *)
      # DJL 0.36's JNI is built for torch 2.7.1: build one for this torch from DJL's source.
      [ -n "${GPU_CHECK_DJL_SOURCE:-}" ] || die "$python has torch $torch_version, but DJL 0.36's JNI (pytorch-jni) is built for torch 2.7.1: set GPU_CHECK_DJL_SOURCE to a checkout of DJL v0.36.0 to build one for $torch_version (scripts/build-djl-jni.sh), or TUNINGLAB_TORCH to a torch 2.7.1 CUDA wheel's torch/lib (docs/gpu.md)"
      say "torch $torch_version: building DJL's JNI for it (log: $out/jni-build.log)"
      "$root/scripts/build-djl-jni.sh" --djl-source "$GPU_CHECK_DJL_SOURCE" --torch-lib "$torch_lib" \
        --classpath "$classpath" --keep-going > "$out/jni-build.log" 2>&1 || { tail -20 "$out/jni-build.log" >&2; die "building DJL's JNI failed (above)"; }
      grep 'native methods' "$out/jni-build.log" | tee -a "$out/summary.txt" >&2
      ;;
  esac
  export TUNINGLAB_TORCH="$torch_lib"
fi
export RUST_FLAVOR=cpu OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
jvm=("$java" -Xmx16g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.awt.headless=true -cp "$classpath")

# 4. Shapes.
if [ "$dry" = 1 ]; then
  shape=(--vocab 512 --dim 64 --ffn 128 --layers 2 --heads 4 --kv-heads 2 --batch 2 --seq 16 --steps 2 --warmup 1 --r 8)
  precisions=(fp32); device=cpu; tiny_steps=2; tiny_precisions=(fp32); new_tokens=16
else
  shape=(--vocab 151936 --dim 896 --ffn 4864 --layers 24 --heads 14 --kv-heads 2 --batch 8 --seq 512 --steps 10 --warmup 3 --r 8)
  precisions=(fp16 bf16); device=cuda; tiny_steps=10; tiny_precisions=(fp32 fp16); new_tokens=128
fi
say "java: $java; torch choice: $TUNINGLAB_TORCH; python: $python (torch: $([ $has_torch = 1 ] && "$python" -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda)' || echo none)); out: $out"

# 5. The LoRA / QLoRA steps, Java then Python, each in a process of its own.
for method in lora qlora; do
  for precision in "${precisions[@]}"; do
    gen=0; [ "$method" = lora ] && [ "$precision" = "${precisions[0]}" ] && gen=$new_tokens
    "${jvm[@]}" org.tuninglab.bench.GpuStepCheck "${shape[@]}" --method "$method" --precision "$precision" \
      --new-tokens "$gen" 2>>"$out/java.log" | tee -a "$results" >&2
    if [ "$has_torch" = 1 ]; then
      "$python" "$root/scripts/gpu_check_reference.py" "${shape[@]}" --method "$method" --precision "$precision" \
        --device "$device" --new-tokens "$gen" --model-dir "$root/lib/src/main/resources/org/tuninglab/bench" 2>>"$out/python.log" \
        | tee -a "$results" >&2
    else
      echo "{\"side\": \"python\", \"method\": \"$method\", \"precision\": \"$precision\", \"skipped\": \"$python has no torch\"}" >> "$results"
    fi
  done
done

# 6. The tiny preset: a few steps per precision from the same seed; the last step's training loss.
for precision in "${tiny_precisions[@]}"; do
  config="$work/tiny-$precision.yaml"
  sed -e "s#\.\./#$root/#g" -e "s/^precision: .*/precision: $precision/" -e "s/^epochs: .*/max_steps: $tiny_steps/" \
      -e "s/^eval_every: .*/eval_every: 0/" -e "s#^output_dir: .*#output_dir: $work/runs/tiny-$precision#" \
      "$root/configs/tuninglab-tiny-lora.yaml" > "$config"
  rm -rf "$work/runs/tiny-$precision"
  "${jvm[@]}" org.tuninglab.cli.TuningLab train "$config" > "$work/tiny-$precision.out" 2> "$work/tiny-$precision.err" \
    || die "tiny preset ($precision) failed; see $work/tiny-$precision.err"
  loss="$(tr '\r' '\n' < "$work/tiny-$precision.err" | grep -Eo "^\[[# ]*\] $tiny_steps/[0-9]+ .* loss [0-9.]+" | tail -1 | grep -Eo 'loss [0-9.]+' | cut -d' ' -f2)"
  [ -n "$loss" ] || die "no step-$tiny_steps loss in $work/tiny-$precision.err"
  echo "{\"side\": \"java\", \"check\": \"tiny-preset\", \"precision\": \"$precision\", \"steps\": $tiny_steps, \"last_loss\": $loss}" >> "$results"
done

# 7. The table.
"$python" - "$results" <<'PY' 2>/dev/null | tee -a "$out/summary.txt" || cat "$results" | tee -a "$out/summary.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("%-7s %-6s %-6s %12s %14s %s" % ("method", "prec", "side", "tokens/s", "peak memory", "note"))
for r in rows:
    if r.get("check") == "tiny-preset":
        continue
    mem = r.get("peak_memory_bytes")
    print("%-7s %-6s %-6s %12s %14s %s" % (r["method"], r["precision"], r["side"],
          "%.1f" % r["tokens_per_s"] if "tokens_per_s" in r else "-",
          "%.2f GiB" % (mem / 2**30) if isinstance(mem, (int, float)) and mem > 0 else "-",
          r.get("skipped") or r.get("peak_memory_kind") or ""))
tiny = {r["precision"]: r["last_loss"] for r in rows if r.get("check") == "tiny-preset"}
print("tiny preset, training loss at the last step: " + ", ".join("%s %.4f" % kv for kv in tiny.items())
      + ("; fp16 - fp32 = %+.4f" % (tiny["fp16"] - tiny["fp32"]) if "fp16" in tiny and "fp32" in tiny else ""))
for r in rows:
    if r.get("generation_tokens_per_s"):
        print("generation (KV cache, greedy, %s, %s): %.1f tokens/s (%s)" % (r["precision"], r["device"], r["generation_tokens_per_s"], r["side"]))
PY
say "done: $results, $out/summary.txt"
