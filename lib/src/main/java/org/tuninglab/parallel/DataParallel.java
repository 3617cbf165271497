package org.tuninglab.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import java.util.List;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.score.TokenCrossEntropy;

/**
 * Data parallel: a whole replica per device, the batch split into equal rows with DJL's {@code
 * Batch.split}, each replica's gradients summed over all replicas before every replica takes the
 * same AdamW update.
 *
 * <p>DJL's own {@code ParameterStore} is not used: it keeps one copy per distinct {@code Device},
 * so N replicas on the one CPU collapse into one, and it works on {@code Block} parameters where
 * this project's decoder holds plain arrays. Each replica's loss is its summed token loss over
 * the whole batch's trained tokens, so the summed gradients are exactly the batch mean's.
 */
public final class DataParallel extends ShardedTraining {
  private final List<Device> devices;

  public DataParallel(AdaptedModel reference, List<Device> devices) {
    super(ParallelStrategy.DATA, devices);
    this.devices = List.copyOf(devices);
    var arrays = referenceArrays(reference);
    var config = reference.base().config();
    buildShards(
        devices.size(),
        i ->
            shard(
                () ->
                    new DeviceShard(
                        i, devices.get(i), config, arrays, name -> ShardPart.whole(name, true),
                        reference.method())));
  }

  @Override
  Pass run(TokenRows rows, GradientCollector collector) {
    int n = shards.size();
    if (rows.batch() % n != 0) {
      throw new IllegalArgumentException(
          "data parallel over " + n + " devices needs a batch divisible by " + n + ", got "
              + rows.batch());
    }
    double tokens = Math.max(1, rows.trainedTokens());
    double loss = 0;
    try (NDManager host = NDManager.newBaseManager(devices.get(0))) {
      Shape shape = new Shape(rows.batch(), rows.seq());
      Batch batch =
          new Batch(
              host,
              new NDList(host.create(rows.inputIds(), shape)),
              new NDList(host.create(rows.labels(), shape)),
              rows.batch(), Batchifier.STACK, Batchifier.STACK, 0, 0);
      Batch[] splits = batch.split(devices.toArray(new Device[0]), true);
      for (int i = 0; i < n; i++) {
        DeviceShard replica = shards.get(i);
        NDArray ids = splits[i].getData().head(); // (B/n, T)
        NDArray labels = splits[i].getLabels().head(); // (B/n, T)
        ids.attach(replica.step);
        labels.attach(replica.step);
        NDArray logits = replica.model.forward(ids); // (B/n, T, V)
        NDArray sum = TokenCrossEntropy.sum(logits, labels);
        replica.recordActivations();
        loss += sum.getFloat();
        collector.backward(sum.mul(OwnedScalar.of(replica.step, 1 / tokens)));
      }
    }
    return new Pass(loss / tokens, 0);
  }
}
