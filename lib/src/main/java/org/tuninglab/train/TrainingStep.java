package org.tuninglab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.NoGrad;

/**
 * One optimizer update, whatever is trained and whatever the objective: zero the gradients,
 * accumulate the micro-batches' gradients normalised over the update's total weight (with the
 * float16 loss scale), unscale, skip on overflow, clip, and step AdamW. The {@link Trainer} calls
 * it for every update; a benchmark calls it to time exactly the step the trainer takes.
 *
 * @param <E> one example as the objective sees it
 */
public final class TrainingStep<E> {
  private final ForwardPass forward;
  private final Map<String, NDArray> trainable;
  private final NDManager manager;
  private final TrainingObjective<E> objective;
  private final double maxGradNorm;

  /**
   * What one update did.
   *
   * @param loss the update's mean loss per unit of weight
   * @param gradNorm the global gradient norm before clipping; NaN when the update was skipped
   * @param tokens the micro-batches' input tokens
   * @param skipped whether float16 gradients overflowed and the update was skipped
   * @param metrics the objective's other figures, per unit of weight
   */
  public record Update(
      double loss, double gradNorm, long tokens, boolean skipped, Map<String, Double> metrics) {}

  /**
   * @param forward the model being trained
   * @param trainable the arrays the optimizer updates, by name, with gradients attached
   * @param manager the parent of each update's scope (usually the model's manager)
   * @param objective the loss
   * @param maxGradNorm the global norm to clip to; 0 disables clipping
   */
  public TrainingStep(
      ForwardPass forward, Map<String, NDArray> trainable, NDManager manager,
      TrainingObjective<E> objective, double maxGradNorm) {
    this.forward = Objects.requireNonNull(forward, "forward");
    this.trainable = Objects.requireNonNull(trainable, "trainable");
    this.manager = Objects.requireNonNull(manager, "manager");
    this.objective = Objects.requireNonNull(objective, "objective");
    this.maxGradNorm = maxGradNorm;
  }

  /**
   * Makes one update from the micro-batches.
   *
   * @param micro the micro-batches, accumulated into one update
   * @param lr the learning rate
   * @param scaler the float16 loss scale ({@link LossScaler#disabled()} in float32)
   * @param adamw the optimizer over {@code trainable}
   * @return what it did
   */
  public Update run(List<List<E>> micro, double lr, LossScaler scaler, AdamW adamw) {
    long weight = 0;
    long inputTokens = 0;
    for (List<E> batch : micro) {
      for (E e : batch) {
        weight += objective.weight(e);
        inputTokens += objective.length(e);
      }
    }
    // Autograd is on only inside each micro-batch's collector: zeroing, unscaling, clipping and
    // the optimizer write gradients and parameters in place, whatever the calling thread's mode.
    try (NoGrad off = NoGrad.enter();
        NDManager scope = manager.newSubManager()) {
      for (NDArray param : trainable.values()) {
        try (NDArray grad = param.getGradient()) {
          grad.set(new NDIndex("..."), 0f); // the collector adds to gradients, never clears them
        }
      }
      double lossSum = 0;
      Map<String, Double> metricSums = new LinkedHashMap<>();
      for (List<E> examples : micro) {
        try (NDManager step = scope.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          TrainingObjective.Loss loss = objective.loss(forward, examples, step);
          lossSum += loss.sum().toType(DataType.FLOAT32, false).getFloat(); // whatever its dtype
          loss.metrics().forEach((k, v) -> metricSums.merge(k, v, Double::sum));
          double scale = scaler.scale() / Math.max(1, weight);
          collector.backward(loss.sum().mul(OwnedScalar.of(step, scale)));
        }
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      long units = Math.max(1, weight);
      metricSums.forEach((k, v) -> metrics.put(k, v / units));
      // Fetched after backward: with grad mode on, PyTorch may replace a gradient tensor rather
      // than add to it in place, so a handle taken earlier can be stale.
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (var e : trainable.entrySet()) {
        NDArray grad = e.getValue().getGradient();
        grad.attach(scope); // the handle, not the gradient itself, is freed with the scope
        // Half-precision gradients are unscaled, clipped and applied in float32 (a copy in scope).
        grads.put(e.getKey(), grad.toType(DataType.FLOAT32, false));
      }
      double loss = lossSum / units;
      if (!Double.isFinite(loss) && !scaler.enabled()) {
        return new Update(loss, Double.NaN, inputTokens, false, metrics);
      }
      boolean finite = scaler.unscale(grads.values());
      scaler.update(finite);
      if (!finite) {
        return new Update(
            Double.isFinite(loss) ? loss : Double.NaN, Double.NaN, inputTokens, true, metrics);
      }
      double norm = GradientClipping.clip(grads.values(), maxGradNorm);
      if (Double.isFinite(norm)) {
        adamw.step(lr, grads);
      }
      return new Update(loss, norm, inputTokens, false, metrics);
    }
  }
}
