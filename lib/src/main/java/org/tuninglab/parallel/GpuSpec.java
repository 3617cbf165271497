package org.tuninglab.parallel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the cost model needs of a GPU: memory, peak matmul throughput, and bandwidth to a peer
 * over NVLink and over PCIe, each one direction (vendors quote both directions summed).
 *
 * <p>Presets are NVIDIA's datasheet peaks for the SXM boards (dense, without sparsity): A100
 * 19.5 TFLOP/s fp32 and 312 TFLOP/s bf16/fp16 tensor, NVLink 3 600 GB/s, PCIe 4.0 x16 64 GB/s;
 * H100 SXM5 67 TFLOP/s fp32 and 989 TFLOP/s bf16/fp16 tensor, NVLink 4 900 GB/s, PCIe 5.0 x16
 * 128 GB/s (docs/efficiency.md cites them).
 *
 * @param name the preset's name
 * @param memory capacity
 * @param fp32Flops peak float32 FLOP/s
 * @param halfFlops peak bf16/fp16 tensor-core FLOP/s
 * @param nvlinkBytesPerSecond to one peer, one direction
 * @param pcieBytesPerSecond to one peer, one direction
 */
public record GpuSpec(
    String name,
    GpuMemory memory,
    double fp32Flops,
    double halfFlops,
    double nvlinkBytesPerSecond,
    double pcieBytesPerSecond) {

  /** The presets by name. */
  public static final Map<String, GpuSpec> PRESETS = presets();

  private static Map<String, GpuSpec> presets() {
    Map<String, GpuSpec> p = new LinkedHashMap<>();
    for (String a100 : new String[] {"a100-40gb", "a100-80gb"}) {
      p.put(a100, new GpuSpec(a100, GpuMemory.PRESETS.get(a100), 19.5e12, 312e12, 300e9, 32e9));
    }
    p.put("h100-80gb",
        new GpuSpec("h100-80gb", GpuMemory.PRESETS.get("h100-80gb"), 67e12, 989e12, 450e9, 64e9));
    return Collections.unmodifiableMap(p);
  }

  /** A preset by name (case-insensitive). */
  public static GpuSpec parse(String text) {
    GpuSpec spec = PRESETS.get(text.trim().toLowerCase(Locale.ROOT));
    if (spec == null) {
      throw new IllegalArgumentException(
          "GPU must be one of " + String.join(", ", PRESETS.keySet()) + ", got '" + text + "'");
    }
    return spec;
  }

  /** Peak FLOP/s for a model held in {@code dtype}. */
  public double peakFlops(ComputeDtype dtype) {
    return dtype.isHalf() ? halfFlops : fp32Flops;
  }

  /** Bytes per second to one peer over {@code link}, one direction. */
  public double bandwidth(Link link) {
    return link == Link.NVLINK ? nvlinkBytesPerSecond : pcieBytesPerSecond;
  }
}
