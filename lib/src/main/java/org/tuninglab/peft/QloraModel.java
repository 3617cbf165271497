package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tuninglab.model.DenseLinear;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.PretrainedModel;

/**
 * QLoRA: every projection of the decoder is stored as NF4 (embeddings, norms and the output head
 * stay as they are, as with bitsandbytes), and LoRA adapters train on top in the compute dtype.
 *
 * <p>Quantising frees the dense projection weights, so the base model stays quantised after {@link
 * #close()}. The adapter files are plain LoRA ones: PEFT loads them onto a 4-bit or a
 * full-precision base alike.
 */
public final class QloraModel implements AdaptedModel {
  private final LoraModel lora;
  private final NDManager quantized;

  private QloraModel(LoraModel lora, NDManager quantized) {
    this.lora = lora;
    this.quantized = quantized;
  }

  /** Quantises the base's projections, then adds fresh adapters on the targets. */
  public static QloraModel apply(LlamaModel model, LoraConfig config) {
    LoraTargets.select(model.linearLayers().keySet(), config.targetModules());
    NDManager quantized = quantizeProjections(model);
    return new QloraModel(LoraModel.apply(model, config, MethodSpec.qlora(config)), quantized);
  }

  /**
   * Loads a PEFT LoRA adapter, checked against the base before anything is quantised, then
   * quantises the base's projections under it.
   */
  public static QloraModel load(Path dir, LlamaModel model) throws IOException {
    LoraConfig config =
        LoraConfig.fromPeftJson(
            AdapterConfigFile.read(dir), dir.resolve(AdapterConfigFile.FILE).toString());
    NDManager adapters = model.manager().newSubManager();
    Map<String, NDArray[]> weights;
    try {
      weights = LoraModel.readWeights(dir, model, config, adapters);
    } catch (IOException | RuntimeException e) {
      adapters.close();
      throw e;
    }
    NDManager quantized = quantizeProjections(model);
    return new QloraModel(
        LoraModel.wrap(model, config, MethodSpec.qlora(config), adapters, weights), quantized);
  }

  private static NDManager quantizeProjections(LlamaModel model) {
    NDManager manager = model.manager().newSubManager();
    for (var e : model.linearLayers().entrySet()) {
      if (e.getValue() instanceof DenseLinear dense) {
        model.replaceLinear(e.getKey(), Nf4Linear.quantize(dense, manager));
        dense.arrays().forEach(a -> a.array().close());
      }
    }
    return manager;
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    return lora.logits(inputIds, attentionMask, cache);
  }

  @Override
  public List<NamedArray> trainableArrays() {
    return lora.trainableArrays();
  }

  @Override
  public LlamaModel base() {
    return lora.base();
  }

  @Override
  public void setTraining(boolean training) {
    lora.setTraining(training);
  }

  @Override
  public MethodSpec method() {
    return lora.method();
  }

  /** The LoRA half: enable/disable, save, the adapted layers. */
  public LoraModel lora() {
    return lora;
  }

  /** Bytes the quantised projections hold (codes and scales; biases excluded). */
  public long quantizedBytes() {
    long bytes = 0;
    for (LinearLayer layer : lora.base().linearLayers().values()) {
      LinearLayer base = layer instanceof LoraLinear l ? l.base() : layer;
      if (base instanceof Nf4Linear q) {
        bytes += q.weight().storedBytes();
      }
    }
    return bytes;
  }

  /** Writes the adapters in PEFT's LoRA format (see {@link LoraModel#save}). */
  public void save(Path dir, String baseModel) throws IOException {
    lora.save(dir, baseModel);
  }

  /** Frees the adapters and the quantised weights; the base model cannot run afterwards. */
  @Override
  public void save(Path dir, PretrainedModel pretrained, String baseModel) throws IOException {
    save(dir, baseModel);
  }

  @Override
  public void close() {
    lora.close();
    quantized.close();
  }
}
