package org.tuninglab.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tuninglab.model.LlamaWeights;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.score.TokenCrossEntropy;

/**
 * Pipeline (model) parallel: consecutive decoder layers per device, the batch cut into
 * micro-batches scheduled GPipe-style (every forward, then every backward).
 *
 * <p>Stages exchange only boundary activations {@code (b, T, D)} forward and their gradients
 * backward: each stage's input is a fresh leaf, its backward starts from the gradient the next
 * stage sent back. Every stage operation is timed and the measured times are scheduled as {@link
 * PipelineSchedule} to give the bubble. The first stage also embeds, the last applies the final
 * norm and head (with tied embeddings, both hold the embedding and sum its gradient).
 */
public final class PipelineParallel extends ShardedTraining {
  private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.");
  private final int microBatches;
  private final int[] firstLayer;

  public PipelineParallel(AdaptedModel reference, List<Device> devices, int microBatches) {
    super(ParallelStrategy.PIPELINE, devices);
    ModelConfig config = reference.base().config();
    int p = devices.size();
    if (p > config.numLayers() || microBatches < 1) {
      throw new IllegalArgumentException(
          "pipeline parallel needs at most one stage per layer (" + config.numLayers()
              + " layers, " + p + " devices) and at least one micro-batch, got " + microBatches);
    }
    this.microBatches = microBatches;
    this.firstLayer = new int[p + 1];
    for (int s = 0; s <= p; s++) {
      firstLayer[s] = s * config.numLayers() / p;
    }
    var arrays = referenceArrays(reference);
    buildShards(
        p,
        s ->
            shard(
                () ->
                    new DeviceShard(
                        s, devices.get(s), withLayers(config, firstLayer[s + 1] - firstLayer[s]),
                        arrays, name -> part(name, s, p, config.tieWordEmbeddings()),
                        reference.method())));
  }

  /** The reference name of a stage-local name: local layer j is layer firstLayer[s] + j. */
  private ShardPart part(String name, int s, int p, boolean tied) {
    Matcher m = LAYER.matcher(name);
    if (m.find()) {
      int global = firstLayer[s] + Integer.parseInt(m.group(1));
      return ShardPart.whole(m.replaceFirst("model.layers." + global + "."), true);
    }
    boolean first = s == 0;
    boolean last = s == p - 1;
    boolean used =
        name.equals(LlamaWeights.EMBED) ? first || (last && tied) : last;
    return ShardPart.whole(name, used);
  }

  private static ModelConfig withLayers(ModelConfig c, int layers) {
    return new ModelConfig(
        c.architecture(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(), layers,
        c.numHeads(), c.numKvHeads(), c.headDim(), c.maxPositions(), c.ropeTheta(),
        c.ropeScaling(), c.ropeLayout(), c.rmsNormEps(), c.attentionBias(), c.outputBias(),
        c.tieWordEmbeddings(), c.slidingWindow(), c.bosTokenId(), c.eosTokenIds());
  }

  @Override
  Pass run(TokenRows rows, GradientCollector collector) {
    int p = shards.size();
    int m = microBatches;
    if (rows.batch() % m != 0) {
      throw new IllegalArgumentException(
          "pipeline parallel with " + m + " micro-batches needs a batch divisible by " + m
              + ", got " + rows.batch());
    }
    int b = rows.batch() / m;
    double tokens = Math.max(1, rows.trainedTokens());
    NDArray[][] inputs = new NDArray[p][m]; // each stage's input leaf, (b, T, D)
    NDArray[][] outputs = new NDArray[p][m]; // each stage's output: (b, T, D), the loss on the last
    double[][] forward = new double[p][m];
    double[][] backward = new double[p][m];
    double loss = 0;
    for (int j = 0; j < m; j++) {
      TokenRows micro = rows.rows(j * b, (j + 1) * b);
      Shape shape = new Shape(b, rows.seq());
      for (int s = 0; s < p; s++) {
        DeviceShard stage = shards.get(s);
        long start = System.nanoTime();
        NDArray x =
            s == 0
                ? stage.model.embed(stage.step.create(micro.inputIds(), shape)) // (b, T, D)
                : inputs[s][j];
        for (int i = 0; i < firstLayer[s + 1] - firstLayer[s]; i++) {
          x = x.add(stage.model.attentionBranch(i, x));
          x = x.add(stage.model.mlpBranch(i, x));
        }
        if (s == p - 1) {
          NDArray logits = stage.model.head(x); // (b, T, V)
          NDArray sum = TokenCrossEntropy.sum(logits, stage.step.create(micro.labels(), shape));
          loss += sum.getFloat();
          outputs[s][j] = sum.mul(OwnedScalar.of(stage.step, 1 / tokens));
        } else {
          outputs[s][j] = x;
          DeviceShard next = shards.get(s + 1);
          NDArray received =
              traffic.send(x, s, s + 1, next.device, next.step, false).stopGradient();
          received.attach(next.step);
          received.setRequiresGradient(true);
          inputs[s + 1][j] = received;
        }
        forward[s][j] = (System.nanoTime() - start) / 1e9;
      }
    }
    shards.forEach(DeviceShard::recordActivations);
    for (int j = m - 1; j >= 0; j--) {
      NDArray gradient = null; // d loss / d (stage s output), on stage s
      for (int s = p - 1; s >= 0; s--) {
        DeviceShard stage = shards.get(s);
        long start = System.nanoTime();
        collector.backward(s == p - 1 ? outputs[s][j] : outputs[s][j].mul(gradient).sum());
        if (s > 0) {
          NDArray inputGradient = inputs[s][j].getGradient();
          inputGradient.attach(stage.step);
          DeviceShard previous = shards.get(s - 1);
          gradient = traffic.send(inputGradient, s, s - 1, previous.device, previous.step, false);
        }
        backward[s][j] = (System.nanoTime() - start) / 1e9;
      }
    }
    return new Pass(loss / tokens, PipelineSchedule.gpipe(forward, backward).bubble());
  }
}
