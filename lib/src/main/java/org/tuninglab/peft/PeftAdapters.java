package org.tuninglab.peft;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.tuninglab.model.LlamaModel;

/**
 * Loads whichever adapter a PEFT directory holds, by its {@code peft_type}: LoRA (also what QLoRA
 * training saves: PEFT's LoRA files load onto a full-precision base) or prompt tuning.
 */
public final class PeftAdapters {
  private PeftAdapters() {}

  /**
   * Reads {@code dir/adapter_config.json} and applies the adapter to {@code model}.
   *
   * @return a {@link LoraModel} or a {@link PromptTuningModel}; closing it takes it off the model
   * @throws AdapterFormatException if the directory holds no adapter of a supported type, or one
   *     that does not fit the model
   */
  public static AdaptedModel load(Path dir, LlamaModel model) throws IOException {
    JsonNode config = AdapterConfigFile.read(dir);
    JsonNode type = config.get("peft_type");
    String name = type == null || !type.isTextual() ? null : type.asText();
    if ("LORA".equals(name)) {
      return LoraModel.load(dir, model);
    }
    if ("PROMPT_TUNING".equals(name)) {
      return PromptTuningModel.load(dir, model);
    }
    throw new AdapterFormatException(
        dir.resolve(AdapterConfigFile.FILE)
            + ": field 'peft_type' must be \"LORA\" or \"PROMPT_TUNING\", got "
            + type);
  }
}
