package org.tuninglab.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.NamedArray;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.train.AdamW;
import org.tuninglab.train.AdamWConfig;

/**
 * One device's part of a model under parallel training: a decoder built on that device (a whole
 * replica, a run of layers, or a slice of every layer), its adapters, its trainable arrays and its
 * own optimizer. Values come from the single-device reference model, so both start identical.
 */
final class DeviceShard implements AutoCloseable {
  final int index;
  final Device device;
  final LlamaModel model;
  private final LoraModel lora; // null for a full fine-tune
  /** Trainable arrays by local name, and where each comes from in the reference. */
  final Map<String, NDArray> trainable = new LinkedHashMap<>();
  final Map<String, ShardPart> parts = new LinkedHashMap<>();
  private final long parameterBytes;
  private AdamW optimizer;
  private long activationBytes;
  NDManager step;

  DeviceShard(
      int index,
      Device device,
      ModelConfig config,
      Map<String, NDArray> reference,
      Function<String, ShardPart> layout,
      MethodSpec method)
      throws IOException {
    this.index = index;
    this.device = device;
    this.model =
        LlamaModel.create(
            config,
            (name, shape) -> copyOf(reference, layout.apply(name)),
            device,
            DataType.FLOAT32);
    long bytes = 0;
    for (var e : model.namedArrays().entrySet()) {
      if (layout.apply(e.getKey()).used()) {
        bytes += DeviceTraffic.bytes(e.getValue());
      }
    }
    if (method instanceof MethodSpec.Full) {
      this.lora = null;
      model.namedArrays().forEach((name, array) -> addTrainable(name, array, layout.apply(name)));
    } else if (method instanceof MethodSpec.Lora l) {
      this.lora = LoraModel.apply(model, l.config());
      for (NamedArray a : lora.trainableArrays()) {
        ShardPart part = layout.apply(a.name());
        a.array().set(FloatBuffer.wrap(copyOf(reference, part)));
        addTrainable(a.name(), a.array(), part);
        bytes += DeviceTraffic.bytes(a.array());
      }
    } else {
      model.close();
      throw new IllegalArgumentException(
          "parallel training supports full fine-tuning and LoRA, not " + method.name());
    }
    this.parameterBytes = bytes;
  }

  private static float[] copyOf(Map<String, NDArray> reference, ShardPart part) {
    NDArray full = reference.get(part.referenceName());
    if (full == null) {
      throw new IllegalStateException("the reference model has no tensor " + part.referenceName());
    }
    return part.slice(full.toFloatArray(), full.getShape().getShape());
  }

  private void addTrainable(String name, NDArray array, ShardPart part) {
    if (part.used()) {
      array.setRequiresGradient(true);
      trainable.put(name, array);
      parts.put(name, part);
    }
  }

  /** A fresh manager for this step's intermediates on this device. */
  NDManager beginStep() {
    step = model.manager().newSubManager();
    for (NDArray param : trainable.values()) {
      try (NDArray grad = param.getGradient()) {
        grad.set(new ai.djl.ndarray.index.NDIndex("..."), 0f); // autograd adds, never clears
      }
    }
    return step;
  }

  /** The current gradient of a trainable array (fetched after backward: PyTorch may replace it). */
  NDArray gradient(String name) {
    NDArray grad = trainable.get(name).getGradient();
    grad.attach(step);
    return grad;
  }

  /** Applies one AdamW update from the (already reduced) gradients. */
  void update(double lr, Map<String, NDArray> grads) {
    if (optimizer == null) {
      optimizer = new AdamW(trainable, AdamWConfig.DEFAULT);
    }
    optimizer.step(lr, grads);
  }

  long parameterBytes() {
    return parameterBytes;
  }

  long gradientBytes() {
    return trainable.values().stream().mapToLong(DeviceTraffic::bytes).sum();
  }

  /** AdamW's two float32 moments per trainable value (what the optimizer allocates). */
  long optimizerBytes() {
    return trainable.values().stream().mapToLong(a -> 2 * 4 * a.size()).sum();
  }

  /** Notes the bytes of the arrays this step's forward pass has left on the device so far. */
  void recordActivations() {
    activationBytes = step.getManagedArrays().stream().mapToLong(DeviceTraffic::bytes).sum();
  }

  long activationBytes() {
    return activationBytes;
  }

  void endStep() {
    step.close();
    step = null;
  }

  @Override
  public void close() {
    if (optimizer != null) {
      optimizer.close();
    }
    if (lora != null) {
      lora.close();
    }
    model.close();
  }
}
