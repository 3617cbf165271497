package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.PretrainedModel;

/** Full fine-tuning: every array of the model trains (a tied output head counts once). */
public final class FullFineTune implements AdaptedModel {
  /** Shards of the saved model stay under this size. */
  private static final long MAX_SHARD_BYTES = 2L << 30;

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
  public NDArray logits(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    return model.forward(inputIds, attentionMask, cache);
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

  /** Writes the trained model in Hugging Face layout, float32, with the source's tokenizer files. */
  @Override
  public void save(Path dir, PretrainedModel pretrained, String baseModel) throws IOException {
    if (pretrained.model() != model) {
      throw new IllegalArgumentException("the model to save is not the one this fine-tune trained");
    }
    pretrained.save(dir, TensorDType.F32, MAX_SHARD_BYTES);
  }

  /** Detaches the gradients again. */
  @Override
  public void close() {
    model.namedArrays().values().forEach(a -> a.setRequiresGradient(false));
  }
}
