package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which recipe a training config file is for, from its {@code stage} key: {@code sft} (the
 * default, {@link SftConfigFile}) or {@code dpo} ({@link DpoConfigFile}). {@code ./tuninglab
 * train FILE} reads it to pick the recipe.
 */
public enum TrainingStage {
  /** Supervised fine-tuning on prompt and completion examples. */
  SFT,
  /** Direct preference optimisation (and IPO, SimPO) on preference pairs. */
  DPO;

  /** The name a config file writes: sft, dpo. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a config file's stage.
   *
   * @param file a YAML or JSON training config
   * @return its stage; {@link #SFT} when it names none
   * @throws ConfigFormatException if {@code stage} names no stage
   * @throws IOException if the file cannot be read or parsed
   */
  public static TrainingStage of(Path file) throws IOException {
    return read(ConfigFields.parse(file));
  }

  /** Checks that a file read by one recipe's loader is for that recipe. */
  static void check(ConfigFields f, TrainingStage expected) throws ConfigFormatException {
    TrainingStage stage = read(f);
    if (stage != expected) {
      throw new ConfigFormatException(
          f.file(), "stage",
          "this file is for stage " + stage.key() + ", not " + expected.key() + "; ./tuninglab train"
              + " picks the recipe from the stage");
    }
  }

  private static TrainingStage read(ConfigFields f) throws ConfigFormatException {
    String value = f.string("stage", SFT.key());
    return Arrays.stream(values())
        .filter(s -> s.key().equals(value))
        .findFirst()
        .orElseThrow(
            () -> new ConfigFormatException(
                f.file(), "stage",
                "\"" + value + "\" is not one of " + Arrays.stream(values()).map(TrainingStage::key).toList()));
  }
}
