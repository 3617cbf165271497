package org.tuninglab.parallel;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.tuninglab.model.NamedArray;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.score.NoGrad;

/**
 * The step every strategy shares: zero gradients, the strategy's forward and backward, then
 * gradients of arrays held whole on several devices summed across them (each copy then gets the
 * same update), one AdamW update per device, and the reports.
 */
abstract class ShardedTraining implements ParallelTraining {
  final List<DeviceShard> shards = new ArrayList<>();
  final DeviceTraffic traffic;
  private final ParallelStrategy strategy;

  /** What a strategy's forward and backward give back. */
  record Pass(double loss, double bubble) {}

  ShardedTraining(ParallelStrategy strategy, List<Device> devices) {
    if (devices.size() < 1) {
      throw new IllegalArgumentException("parallel training needs at least one device");
    }
    this.strategy = strategy;
    this.traffic = new DeviceTraffic(devices.size());
  }

  /** Reference tensors by name: the base model's and the method's trainable arrays. */
  static Map<String, NDArray> referenceArrays(AdaptedModel reference) {
    Map<String, NDArray> all = new LinkedHashMap<>(reference.base().namedArrays());
    for (NamedArray a : reference.trainableArrays()) {
      all.put(a.name(), a.array());
    }
    return all;
  }

  /** Builds one shard per device; closes those already built if one fails. */
  void buildShards(int count, IntFunction<DeviceShard> factory) {
    try {
      for (int i = 0; i < count; i++) {
        shards.add(factory.apply(i));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Runs {@code build} turning its IOException into an unchecked one for {@link #buildShards}. */
  static DeviceShard shard(IoSupplier build) {
    try {
      return build.get();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  interface IoSupplier {
    DeviceShard get() throws IOException;
  }

  /** The strategy's forward and backward; shards record their activations after the forward. */
  abstract Pass run(TokenRows rows, GradientCollector collector);

  @Override
  public ParallelStrategy strategy() {
    return strategy;
  }

  @Override
  public ParallelStep step(TokenRows rows, double lr) {
    long start = System.nanoTime();
    traffic.reset();
    shards.forEach(DeviceShard::beginStep);
    try {
      Pass pass;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        pass = run(rows, collector);
      }
      Map<String, float[]> gradients;
      try (NoGrad off = NoGrad.enter()) {
        List<Map<String, NDArray>> grads = reduceReplicated();
        for (int i = 0; i < shards.size(); i++) {
          shards.get(i).update(lr, grads.get(i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        gradients = reassemble(grads);
        return new ParallelStep(strategy, pass.loss(), gradients, reports(), pass.bubble(), seconds);
      }
    } finally {
      shards.forEach(DeviceShard::endStep);
    }
  }

  /**
   * Per shard, its gradients by local name; arrays held whole by several shards get the sum over
   * them (gathered to the first holder, summed, sent back: the bytes a ring all-reduce moves too).
   */
  private List<Map<String, NDArray>> reduceReplicated() {
    List<Map<String, NDArray>> grads = new ArrayList<>();
    // Per reference name held whole: the shards holding it and its local name on each.
    Map<String, List<Integer>> holders = new LinkedHashMap<>();
    Map<String, List<String>> localNames = new LinkedHashMap<>();
    for (DeviceShard s : shards) {
      Map<String, NDArray> g = new LinkedHashMap<>();
      for (var e : s.parts.entrySet()) {
        g.put(e.getKey(), s.gradient(e.getKey()));
        if (!e.getValue().sliced()) {
          holders.computeIfAbsent(e.getValue().referenceName(), k -> new ArrayList<>())
              .add(s.index);
          localNames.computeIfAbsent(e.getValue().referenceName(), k -> new ArrayList<>())
              .add(e.getKey());
        }
      }
      grads.add(g);
    }
    for (var e : holders.entrySet()) {
      List<Integer> who = e.getValue();
      if (who.size() < 2) {
        continue;
      }
      List<String> names = localNames.get(e.getKey());
      DeviceShard root = shards.get(who.get(0));
      NDArray sum = grads.get(root.index).get(names.get(0));
      for (int k = 1; k < who.size(); k++) {
        DeviceShard other = shards.get(who.get(k));
        NDArray g = grads.get(other.index).get(names.get(k));
        sum = sum.add(traffic.send(g, other.index, root.index, root.device, root.step, false));
      }
      grads.get(root.index).put(names.get(0), sum);
      for (int k = 1; k < who.size(); k++) {
        DeviceShard other = shards.get(who.get(k));
        grads.get(other.index)
            .put(names.get(k), traffic.send(sum, root.index, other.index, other.device, other.step, false));
      }
    }
    return grads;
  }

  /** Gradients by reference name: slices put back together, replicas' (equal) sums taken once. */
  private Map<String, float[]> reassemble(List<Map<String, NDArray>> grads) {
    Map<String, List<float[]>> slices = new LinkedHashMap<>();
    Map<String, ShardPart> first = new LinkedHashMap<>();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (DeviceShard s : shards) {
      for (var e : s.parts.entrySet()) {
        ShardPart part = e.getValue();
        NDArray g = grads.get(s.index).get(e.getKey());
        if (first.putIfAbsent(part.referenceName(), part) == null) {
          shapes.put(part.referenceName(), g.getShape().getShape());
          slices.put(part.referenceName(), new ArrayList<>());
        }
        if (part.sliced() || slices.get(part.referenceName()).isEmpty()) {
          slices.get(part.referenceName()).add(g.toFloatArray());
        }
      }
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (var e : slices.entrySet()) {
      ShardPart part = first.get(e.getKey());
      out.put(e.getKey(), part.sliced() ? concat(e.getValue(), shapes.get(e.getKey()), part.axis())
          : e.getValue().get(0));
    }
    return out;
  }

  /** Slices of equal shape {@code shape} joined along axis 0 or 1 (row-major). */
  private static float[] concat(List<float[]> parts, long[] shape, int axis) {
    int total = parts.stream().mapToInt(p -> p.length).sum();
    float[] out = new float[total];
    if (axis == 0) {
      int at = 0;
      for (float[] p : parts) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return out;
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    int width = cols * parts.size();
    for (int k = 0; k < parts.size(); k++) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(parts.get(k), r * cols, out, r * width + k * cols, cols);
      }
    }
    return out;
  }

  private List<DeviceReport> reports() {
    List<DeviceReport> reports = new ArrayList<>();
    for (DeviceShard s : shards) {
      reports.add(
          new DeviceReport(
              s.index, s.parameterBytes(), s.gradientBytes(), s.optimizerBytes(),
              s.activationBytes(), traffic.sent(s.index), traffic.received(s.index)));
    }
    return reports;
  }

  @Override
  public void close() {
    for (DeviceShard s : shards) {
      s.close();
    }
    shards.clear();
  }
}
