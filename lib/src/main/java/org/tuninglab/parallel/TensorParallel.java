package org.tuninglab.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.score.TokenCrossEntropy;

/**
 * Tensor parallel, Megatron-style: each device holds a contiguous share of every layer's query and
 * key/value heads and of the MLP's hidden columns. q/k/v, gate and up are split by output rows
 * (column-parallel), o and down by input columns (row-parallel), so each device's branch output is
 * a partial sum: it goes to device 0, is summed into the residual stream, and the next branch's
 * input is sent back out, one all-reduce per branch forward and (autograd) one backward.
 *
 * <p>Norms are held whole by every device (their gradients summed like a replica's); device 0
 * embeds and applies the head, the vocabulary is not split. LoRA follows its base: on a
 * column-parallel layer A is whole and B split by rows, on a row-parallel one A split by columns
 * and B whole.
 */
public final class TensorParallel extends ShardedTraining {
  private static final List<String> COLUMN = List.of("q_proj", "k_proj", "v_proj", "gate_proj", "up_proj");
  private static final List<String> ROW = List.of("o_proj", "down_proj");

  public TensorParallel(AdaptedModel reference, List<Device> devices) {
    super(ParallelStrategy.TENSOR, devices);
    ModelConfig c = reference.base().config();
    int n = devices.size();
    if (c.numKvHeads() % n != 0 || c.intermediateSize() % n != 0 || c.outputBias()) {
      throw new IllegalArgumentException(
          "tensor parallel over " + n + " devices needs num_key_value_heads (" + c.numKvHeads()
              + ") and intermediate_size (" + c.intermediateSize() + ") divisible by " + n
              + " and no output-projection bias");
    }
    ModelConfig slice =
        new ModelConfig(
            c.architecture(), c.vocabSize(), c.hiddenSize(), c.intermediateSize() / n,
            c.numLayers(), c.numHeads() / n, c.numKvHeads() / n, c.headDim(), c.maxPositions(),
            c.ropeTheta(), c.ropeScaling(), c.ropeLayout(), c.rmsNormEps(), c.attentionBias(),
            c.outputBias(), c.tieWordEmbeddings(), c.slidingWindow(), c.bosTokenId(),
            c.eosTokenIds());
    var arrays = referenceArrays(reference);
    buildShards(
        n,
        k ->
            shard(
                () ->
                    new DeviceShard(
                        k, devices.get(k), slice, arrays, name -> part(name, k, n),
                        reference.method())));
  }

  private static ShardPart part(String name, int k, int n) {
    if (!name.contains("model.layers.")) {
      return ShardPart.whole(name, k == 0); // embedding, final norm, head: device 0 runs them
    }
    String module = name.replaceAll(".*\\.(\\w+_proj)\\..*", "$1");
    int axis = -1;
    if (COLUMN.contains(module)) {
      axis = name.endsWith("lora_A.weight") ? -1 : 0;
    } else if (ROW.contains(module)) {
      axis = name.endsWith("lora_B.weight") ? -1 : 1;
    }
    return new ShardPart(name, axis, axis < 0 ? 0 : k, axis < 0 ? 1 : n, true);
  }

  @Override
  Pass run(TokenRows rows, GradientCollector collector) {
    DeviceShard root = shards.get(0);
    Shape shape = new Shape(rows.batch(), rows.seq());
    NDArray x = root.model.embed(root.step.create(rows.inputIds(), shape)); // (B, T, D)
    for (int i = 0; i < root.model.config().numLayers(); i++) {
      final int layer = i;
      x = x.add(allReduced(x, (shard, input) -> shard.model.attentionBranch(layer, input)));
      x = x.add(allReduced(x, (shard, input) -> shard.model.mlpBranch(layer, input)));
    }
    NDArray logits = root.model.head(x); // (B, T, V)
    NDArray sum = TokenCrossEntropy.sum(logits, root.step.create(rows.labels(), shape));
    double tokens = Math.max(1, rows.trainedTokens());
    shards.forEach(DeviceShard::recordActivations);
    collector.backward(sum.mul(OwnedScalar.of(root.step, 1 / tokens)));
    return new Pass(sum.getFloat() / tokens, 0);
  }

  /** {@code x} out to every device, each device's partial branch output summed on device 0. */
  private NDArray allReduced(NDArray x, Branch branch) {
    DeviceShard root = shards.get(0);
    NDArray total = branch.apply(root, x); // (B, T, D), device 0's partial sum
    for (int k = 1; k < shards.size(); k++) {
      DeviceShard shard = shards.get(k);
      NDArray input = traffic.send(x, 0, k, shard.device, shard.step, true);
      NDArray partial = branch.apply(shard, input);
      total = total.add(traffic.send(partial, k, 0, root.device, root.step, true));
    }
    return total;
  }

  private interface Branch {
    NDArray apply(DeviceShard shard, NDArray input);
  }
}
