package org.tuninglab.preference;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.data.PreferenceFiles;
import org.tuninglab.data.PreferenceMapping;
import org.tuninglab.data.PreferencePair;
import org.tuninglab.model.PretrainedModel;

/** The embedded model and the shipped preference pairs, for tests that need a real model. */
final class EmbeddedPairs {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path MODEL = ROOT.resolve("models/tuninglab-tiny");
  static final Path PAIRS = ROOT.resolve("datasets/preferences");
  static final String SYSTEM = "Extract the people, places and dates as JSON.";

  private EmbeddedPairs() {}

  static PretrainedModel model() throws IOException {
    return PretrainedModel.load(MODEL, Device.cpu(), DataType.FLOAT32);
  }

  static PreferenceCollator collator(PretrainedModel model) {
    return PreferenceCollator.builder()
        .setTokenizer(model.tokenizer())
        .setChatTemplate(model.chatTemplate().orElseThrow())
        .optSystemPrompt(SYSTEM)
        .setMaxLength(256)
        .build();
  }

  static List<PreferencePair> pairs(String file, PreferenceCollator collator) throws IOException {
    return PreferenceFiles.load(PAIRS.resolve(file), PreferenceMapping.DEFAULT, collator);
  }
}
