package org.tuninglab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;

/**
 * What every fine-tuning recipe does around its loop: load the model to train on the default
 * device, and save what trained at the end.
 */
final class RecipeModel {
  private RecipeModel() {}

  /**
   * Where a run wrote what it trained; each null when not written.
   *
   * @param finalModel the whole model in Hugging Face layout (full fine-tune)
   * @param adapter the adapter in PEFT's format (lora, qlora, prompt)
   */
  record Saved(Path finalModel, Path adapter) {}

  /**
   * Loads a model to train on the default device.
   *
   * @param model a model folder or a Hub name
   * @param precision the weights' dtype; float16 only on a GPU
   * @return the model, tokenizer and chat template
   * @throws IOException if the model cannot be read
   */
  static PretrainedModel load(String model, Precision precision) throws IOException {
    Device device = Engine.getInstance().defaultDevice();
    if (precision == Precision.FP16 && "cpu".equals(device.getDeviceType())) {
      throw new IllegalArgumentException(
          "precision fp16 is for GPUs: on a CPU it is about 60 times slower than fp32; set"
              + " precision: fp32");
    }
    return LanguageModel.loadPretrained(model, device, precision.dataType());
  }

  /**
   * Writes what was trained, unless the run diverged or saving is off: the model in Hugging Face
   * layout to {@code OUTPUT/final}, or the adapter in PEFT's format to {@code OUTPUT/adapter}
   * (before {@code close()} frees it).
   *
   * @param adapted the trained model
   * @param pretrained the loaded model it adapts
   * @param model the base's name or path, recorded with an adapter
   * @param outputDir the run's output folder, or null for none
   * @param enabled the config's save_final_model
   * @param result how the run ended
   * @return where it wrote
   * @throws IOException if a file cannot be written
   */
  static Saved save(
      AdaptedModel adapted, PretrainedModel pretrained, String model, Path outputDir,
      boolean enabled, TrainingResult result) throws IOException {
    if (!enabled || outputDir == null || result.reason() == StopReason.NON_FINITE) {
      return new Saved(null, null);
    }
    boolean adapter = adapted.method().savesAdapter();
    Path dir = outputDir.resolve(adapter ? "adapter" : "final");
    adapted.save(dir, pretrained, model);
    return adapter ? new Saved(null, dir) : new Saved(dir, null);
  }
}
