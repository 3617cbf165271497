package org.tuninglab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tuninglab.score.NoGrad;

/**
 * Adam with decoupled weight decay, step for step as {@code torch.optim.AdamW}: decay the weight,
 * update the moment estimates, then step by {@code lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 -
 * beta2^t) + eps)}.
 *
 * <p>Mixed precision: moments are float32 whatever the weights' dtype, and a weight in another
 * dtype (float16) gets a float32 master copy that the updates accumulate in; the weight receives
 * the master rounded after each step. Without it an update smaller than half a float16 ulp of the
 * weight (at lr 1e-4, most of them) would be rounded away every step. The masters are part of
 * {@link #state()}, so a resumed run continues from them exactly.
 */
public final class AdamW implements AutoCloseable {
  private final Map<String, NDArray> params;
  private final AdamWConfig config;
  private final NDManager stateManager;
  private final Map<String, NDArray> mean = new LinkedHashMap<>();
  private final Map<String, NDArray> variance = new LinkedHashMap<>();
  private final Map<String, NDArray> masters = new LinkedHashMap<>(); // float32, non-float32 params
  private long step;

  /**
   * Creates the optimizer with zero moments.
   *
   * @param params the arrays to train, by name
   * @param config the hyperparameters
   */
  public AdamW(Map<String, NDArray> params, AdamWConfig config) {
    if (params.isEmpty()) {
      throw new IllegalArgumentException("no arrays to train");
    }
    this.params = new LinkedHashMap<>(params);
    this.config = config;
    this.stateManager = params.values().iterator().next().getManager().newSubManager();
    for (var e : params.entrySet()) {
      mean.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), DataType.FLOAT32));
      variance.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), DataType.FLOAT32));
      if (e.getValue().getDataType() != DataType.FLOAT32) {
        NDArray master = e.getValue().toType(DataType.FLOAT32, true);
        master.attach(stateManager);
        masters.put(e.getKey(), master);
      }
    }
  }

  /**
   * Updates every parameter from its gradient.
   *
   * @param lr the learning rate of this step
   * @param grads a gradient for each parameter, by the same names
   */
  public void step(double lr, Map<String, NDArray> grads) {
    step++;
    double correction1 = 1 - Math.pow(config.beta1(), step);
    double correction2Sqrt = Math.sqrt(1 - Math.pow(config.beta2(), step));
    try (NoGrad off = NoGrad.enter()) {
      for (var e : params.entrySet()) {
        // A scope per parameter: the update's float32 temporaries (g(1-beta1), g^2, sqrt(v), m/denom)
        // are freed before the next parameter's, so they peak at the largest parameter's size, not
        // at the whole model's.
        try (NDScope scope = new NDScope()) {
          update(e.getKey(), e.getValue(), grads.get(e.getKey()), lr, correction1, correction2Sqrt);
        }
      }
    }
  }

  private void update(String name, NDArray param, NDArray grad, double lr, double correction1,
      double correction2Sqrt) {
    if (grad == null) {
      throw new IllegalArgumentException("no gradient for " + name);
    }
    NDArray g = grad.toType(DataType.FLOAT32, false); // read only: no copy when already float32
    NDArray weight = masters.getOrDefault(name, param); // float32, updated in place
    if (config.weightDecay() != 0) {
      weight.muli(1 - lr * config.weightDecay());
    }
    NDArray m = mean.get(name).muli(config.beta1()).addi(g.mul(1 - config.beta1()));
    NDArray v = variance.get(name).muli(config.beta2()).addi(g.square().muli(1 - config.beta2()));
    NDArray denom = v.sqrt().divi(correction2Sqrt).addi(config.eps());
    weight.subi(m.div(denom).muli(lr / correction1));
    if (weight != param) {
      param.set(new NDIndex("..."), weight.toType(param.getDataType(), false));
    }
  }

  /**
   * Returns how many steps were taken (the bias corrections' exponent).
   *
   * @return the step count
   */
  public long stepCount() {
    return step;
  }

  /**
   * Returns the state for saving: the moments, named {@code exp_avg.NAME} and {@code
   * exp_avg_sq.NAME} as in PyTorch's state dict, and the float32 master weights of parameters held
   * in another dtype, named {@code master.NAME}.
   *
   * @return the state arrays (owned by the optimizer)
   */
  public Map<String, NDArray> state() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    mean.forEach((k, v) -> state.put("exp_avg." + k, v));
    variance.forEach((k, v) -> state.put("exp_avg_sq." + k, v));
    masters.forEach((k, v) -> state.put("master." + k, v));
    return state;
  }

  /**
   * Restores saved state; parameters with a master copy are set to it, rounded.
   *
   * @param state arrays named as {@link #state()} returns them
   * @param stepCount the saved step count
   * @throws IllegalArgumentException if an array is missing or has another shape
   */
  public void load(Map<String, NDArray> state, long stepCount) {
    try (NoGrad off = NoGrad.enter()) { // parameters are written in place
      restore(state);
    }
    this.step = stepCount;
  }

  private void restore(Map<String, NDArray> state) {
    for (var e : state().entrySet()) {
      NDArray saved = state.get(e.getKey());
      if (saved == null || !saved.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(
            "optimizer state \"" + e.getKey() + "\": expected shape " + e.getValue().getShape()
                + ", found " + (saved == null ? "nothing" : saved.getShape()));
      }
      e.getValue().set(new NDIndex("..."), saved.toType(DataType.FLOAT32, false));
    }
    masters.forEach(
        (name, master) -> {
          NDArray param = params.get(name);
          try (NDArray rounded = master.toType(param.getDataType(), false)) {
            param.set(new NDIndex("..."), rounded);
          }
        });
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
