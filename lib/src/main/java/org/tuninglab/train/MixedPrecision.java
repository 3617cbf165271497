package org.tuninglab.train;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * The precision policy of a training run on a device, as torch.amp frames it: the dtype the model
 * computes in, float32 master weights in {@link AdamW}, and loss scaling where the compute dtype's
 * range needs it (float16). Refuses what cannot run instead of letting it fail deep in the engine.
 *
 * @param precision what the config asked for
 * @param compute the dtype of the model's weights and activations
 * @param master the dtype the optimizer keeps and updates weights in (always float32)
 * @param lossScaling whether the loss is scaled before backward ({@link LossScaler})
 */
public record MixedPrecision(Precision precision, DataType compute, DataType master, boolean lossScaling) {

  /**
   * Why bf16 is refused on every device. DJL 0.36's JNI maps dtypes to torch in
   * {@code djl_pytorch_utils.h} ({@code GetScalarTypeFromDType}) with no case for bfloat16 (DJL's
   * {@code DataType.BFLOAT16}, ordinal 11), where it runs a bare {@code throw;}: the process
   * terminates (exit 134, seen on the CPU build; the CUDA JNI is built from the same source).
   */
  public static final String BF16_BLOCKED = "precision bf16 cannot run: DJL 0.36's PyTorch JNI has no bfloat16 dtype"
      + " (creating or casting to one aborts the JVM, on a GPU as on a CPU); use precision: fp16, which trains with"
      + " loss scaling and float32 master weights on A100/H100 tensor cores (docs/gpu.md)";

  /**
   * The policy for {@code precision} on {@code device}.
   *
   * @throws IllegalArgumentException for bf16 (any device) and fp16 on a CPU, saying what to use
   */
  public static MixedPrecision forDevice(Precision precision, Device device) {
    switch (precision) {
      case BF16:
        throw new IllegalArgumentException(BF16_BLOCKED);
      case FP16:
        if (!device.isGpu()) {
          throw new IllegalArgumentException("precision fp16 is for GPUs: on a CPU it is about 60 times slower than"
              + " fp32; set precision: fp32, or run with ./tuninglab --gpu on a GPU node");
        }
        return new MixedPrecision(precision, DataType.FLOAT16, DataType.FLOAT32, true);
      default:
        return new MixedPrecision(precision, DataType.FLOAT32, DataType.FLOAT32, false);
    }
  }
}
