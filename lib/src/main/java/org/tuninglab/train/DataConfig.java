package org.tuninglab.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.tuninglab.data.FieldMapping;

/**
 * Where a recipe's examples come from and how they become tokens.
 *
 * @param trainFile the training data (.csv, .json or .jsonl)
 * @param evalFile a separate holdout file, or null to split one off the training file
 * @param fields which fields hold prompt, completion or messages
 * @param holdoutFraction the seeded random fraction held out when there is no eval file and no
 *     holdout field (0 for none)
 * @param holdoutField a field to split by for out-of-distribution evaluation, or null
 * @param holdoutValues the values of {@code holdoutField} that go to the holdout
 * @param systemPrompt a system message for examples that have none, or null
 * @param maxLength the most tokens an example keeps
 * @param documentSeparator null for data files of records; else the files are corpora of rendered
 *     ChatML chats whose documents end with this line ({@link org.tuninglab.data.ChatCorpus}),
 *     such as the pretraining mix
 */
public record DataConfig(
    Path trainFile,
    Path evalFile,
    FieldMapping fields,
    double holdoutFraction,
    String holdoutField,
    List<String> holdoutValues,
    String systemPrompt,
    int maxLength,
    String documentSeparator) {

  /** Checks what is required. */
  public DataConfig {
    if (documentSeparator != null && documentSeparator.isEmpty()) {
      throw new IllegalArgumentException("documentSeparator must not be empty");
    }
    Objects.requireNonNull(trainFile, "trainFile");
    Objects.requireNonNull(fields, "fields");
    holdoutValues = List.copyOf(holdoutValues);
    if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("holdoutFraction must be in [0, 1), got " + holdoutFraction);
    }
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
    }
    if (holdoutField != null && holdoutValues.isEmpty()) {
      throw new IllegalArgumentException("holdoutField " + holdoutField + " needs holdoutValues");
    }
  }

  /**
   * A training file with default fields, a 10 % holdout and max length 1024.
   *
   * @param trainFile the file
   * @return the config
   */
  public static DataConfig of(Path trainFile) {
    return new DataConfig(trainFile, null, FieldMapping.DEFAULT, 0.1, null, List.of(), null, 1024, null);
  }
}
