package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;
import org.tuninglab.model.NamedArray;

/**
 * A weight stored as 4-bit NormalFloat, as bitsandbytes stores QLoRA's base: each block of 64
 * weights keeps its absolute maximum, and each weight the index of the nearest of 16 values in
 * {@code [-1, 1]} spaced by the quantiles of a normal distribution. Double quantisation then stores
 * the block maxima as 8-bit codes: their mean is subtracted, and each run of 256 keeps one float32
 * scale. About 4.13 bits a weight in all.
 *
 * <p>The 8-bit step is symmetric linear (bitsandbytes uses its dynamic 8-bit map there); the NF4
 * values and the packing of two codes a byte, first code in the high nibble, are bitsandbytes'.
 */
public final class Nf4Tensor {
  /** Weights sharing one absmax. */
  public static final int BLOCK = 64;

  /** Block maxima sharing one float32 scale in the second quantisation. */
  public static final int NESTED_BLOCK = 256;

  /** bitsandbytes' NF4 values (csrc/kernels.cu), sorted. */
  static final float[] CODEBOOK = {
    -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
    -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
    0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
    0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f
  };

  private final Shape shape;
  private final NDArray packed; // (blocks * BLOCK / 2) uint8
  private final NDArray absmaxCodes; // (blocks) int8
  private final NDArray nestedScales; // (ceil(blocks / NESTED_BLOCK)) float32
  private final NDArray absmaxMean; // (1) float32
  // Constants of dequantisation kept on the weight's device: made from Java values in every forward,
  // each would be a host-to-device copy, which waits for the GPU's queue to drain.
  private final NDArray codebook; // (16) float32
  private final NDArray sixteen; // () int32

  private Nf4Tensor(
      Shape shape, NDArray packed, NDArray absmaxCodes, NDArray nestedScales, NDArray absmaxMean) {
    this.shape = shape;
    this.packed = packed;
    this.absmaxCodes = absmaxCodes;
    this.nestedScales = nestedScales;
    this.absmaxMean = absmaxMean;
    NDManager manager = packed.getManager();
    this.codebook = manager.create(CODEBOOK);
    this.sixteen = manager.create(16);
  }

  /** Quantises {@code weight} (any shape, any float dtype) into arrays owned by {@code manager}. */
  public static Nf4Tensor quantize(NDArray weight, NDManager manager) {
    float[] w;
    try (NDArray copy = weight.toType(DataType.FLOAT32, true)) { // freed now, not with the model
      w = copy.toFloatArray();
    }
    int blocks = Math.max(1, (w.length + BLOCK - 1) / BLOCK);
    byte[] packed = new byte[blocks * BLOCK / 2];
    float[] absmax = new float[blocks];
    for (int b = 0; b < blocks; b++) {
      int from = b * BLOCK;
      int to = Math.min(w.length, from + BLOCK);
      float max = 0;
      for (int i = from; i < to; i++) {
        max = Math.max(max, Math.abs(w[i]));
      }
      absmax[b] = max;
      for (int i = from; i < to; i++) {
        int code = nearestCode(max == 0 ? 0 : w[i] / max);
        // Padding past the end keeps code 0; dequantisation crops it away.
        packed[i / 2] += (byte) (i % 2 == 0 ? code * 16 : code);
      }
    }
    int nested = (blocks + NESTED_BLOCK - 1) / NESTED_BLOCK;
    double sum = 0;
    for (float a : absmax) {
      sum += a;
    }
    float mean = (float) (sum / blocks);
    byte[] codes = new byte[blocks];
    float[] scales = new float[nested];
    for (int g = 0; g < nested; g++) {
      int from = g * NESTED_BLOCK;
      int to = Math.min(blocks, from + NESTED_BLOCK);
      float max = 0;
      for (int i = from; i < to; i++) {
        max = Math.max(max, Math.abs(absmax[i] - mean));
      }
      scales[g] = max == 0 ? 1 : max / 127;
      for (int i = from; i < to; i++) {
        codes[i] = (byte) Math.max(-127, Math.min(127, Math.round((absmax[i] - mean) / scales[g])));
      }
    }
    return new Nf4Tensor(
        weight.getShape(),
        manager.create(ByteBuffer.wrap(packed), new Shape(packed.length), DataType.UINT8),
        manager.create(ByteBuffer.wrap(codes), new Shape(blocks), DataType.INT8),
        manager.create(scales),
        manager.create(new float[] {mean}));
  }

  /** The index of the codebook value nearest to {@code x} in [-1, 1]. */
  static int nearestCode(float x) {
    int code = 0;
    while (code < CODEBOOK.length - 1 && x > (CODEBOOK[code] + CODEBOOK[code + 1]) / 2) {
      code++;
    }
    return code;
  }

  /**
   * Half the widest gap between neighbouring codebook values: the worst rounding per unit absmax.
   */
  public static double maxHalfGap() {
    double gap = 0;
    for (int i = 1; i < CODEBOOK.length; i++) {
      gap = Math.max(gap, CODEBOOK[i] - CODEBOOK[i - 1]);
    }
    return gap / 2;
  }

  /**
   * The weight rebuilt in {@code dtype}, in {@code target}'s manager (the forward pass's, so the
   * temporary is freed with the step).
   */
  public NDArray dequantize(NDManager target, DataType dtype) {
    long blocks = absmaxCodes.getShape().get(0);
    NDArray bytes = local(packed, target, DataType.INT32); // (blocks * BLOCK / 2)
    // No bitwise ops on NDArrays: split each byte into its nibbles arithmetically.
    NDArray low = bytes.mod(sixteen);
    NDArray high = bytes.sub(low).div(sixteen).toType(DataType.INT64, false);
    NDArray codes =
        NDArrays.stack(new NDList(high, low.toType(DataType.INT64, false)), 1)
            .reshape(-1); // (blocks * BLOCK): high nibble first
    NDArray values = local(codebook, target, dtype).get(new NDIndex("{}", codes)); // (blocks * BLOCK)
    // Double quantisation undone: code * its group's scale + the mean of all block maxima.
    NDArray scales =
        local(nestedScales, target, DataType.FLOAT32)
            .repeat(0, NESTED_BLOCK)
            .get(":" + blocks); // (blocks)
    NDArray absmax =
        local(absmaxCodes, target, DataType.FLOAT32)
            .mul(scales)
            .add(local(absmaxMean, target, DataType.FLOAT32))
            .toType(dtype, false); // (blocks)
    NDArray flat = values.reshape(blocks, BLOCK).mul(absmax.reshape(blocks, 1)).reshape(-1);
    return flat.get(":" + shape.size()).reshape(shape);
  }

  /** A copy of one of this tensor's arrays that belongs to {@code target}. */
  private static NDArray local(NDArray owned, NDManager target, DataType type) {
    NDArray copy = owned.toType(type, true);
    copy.attach(target);
    return copy;
  }

  /** The shape of the weight this tensor stands for. */
  public Shape shape() {
    return shape;
  }

  /** Bytes held: codes, 8-bit maxima, nested scales and the mean. */
  public long storedBytes() {
    return arrays().stream()
        .mapToLong(a -> a.array().size() * a.array().getDataType().getNumOfBytes())
        .sum();
  }

  /** What {@link #storedBytes()} is for a weight of {@code count} values, without building it. */
  public static long storedBytes(long count) {
    long blocks = Math.max(1, (count + BLOCK - 1) / BLOCK);
    long nested = (blocks + NESTED_BLOCK - 1) / NESTED_BLOCK;
    return blocks * BLOCK / 2 + blocks + 4 * nested + 4;
  }

  /** The stored arrays, named after bitsandbytes' quant-state keys. */
  public List<NamedArray> arrays() {
    return List.of(
        new NamedArray("weight", packed),
        new NamedArray("weight.absmax", absmaxCodes),
        new NamedArray("weight.nested_absmax", nestedScales),
        new NamedArray("weight.nested_offset", absmaxMean));
  }

  /** The packed codes: PEFT counts these as two parameters a byte. */
  NDArray packedCodes() {
    return packed;
  }
}
