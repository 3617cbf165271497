package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.NamedArray;

/** Full fine-tuning: every array of the model trains (a tied output head counts once). */
public final class FullFineTune implements AdaptedModel {
  private final LlamaModel model;

  private FullFineTune(LlamaModel model) {
    this.model = model;
  }

  /** Attaches gradients to every array of {@code model}. */
  public static FullFineTune apply(LlamaModel model) {
    model.namedArrays().values().forEach(a -> a.setRequiresGradient(true));
    return new FullFineTune(model);
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask) {
    return model.forward(inputIds, attentionMask, null);
  }

  @Override
  public List<NamedArray> trainableArrays() {
    List<NamedArray> arrays = new ArrayList<>();
    model.namedArrays().forEach((name, array) -> arrays.add(new NamedArray(name, array)));
    return arrays;
  }

  @Override
  public LlamaModel base() {
    return model;
  }

  /** The decoder has no dropout: nothing changes between training and evaluation. */
  @Override
  public void setTraining(boolean training) {}

  @Override
  public MethodSpec method() {
    return MethodSpec.full();
  }

  /** Detaches the gradients again. */
  @Override
  public void close() {
    model.namedArrays().values().forEach(a -> a.setRequiresGradient(false));
  }
}
