package org.tuninglab.train;

import java.nio.file.Path;
import java.util.Objects;
import org.tuninglab.data.PreferenceMapping;

/**
 * Where a preference recipe's pairs come from and how they become tokens.
 *
 * @param trainFile the training pairs (.csv, .json or .jsonl)
 * @param evalFile a separate holdout file, or null to split one off the training file
 * @param fields which fields hold the prompt, the chosen and the rejected answer
 * @param holdoutFraction the seeded random fraction held out when there is no eval file
 * @param systemPrompt a system message before every prompt, or null
 * @param maxLength the most tokens of one sequence (prompt and one answer)
 * @param maxPromptLength the most prompt tokens; a longer prompt is an error naming its line
 */
public record PreferenceDataConfig(
    Path trainFile,
    Path evalFile,
    PreferenceMapping fields,
    double holdoutFraction,
    String systemPrompt,
    int maxLength,
    int maxPromptLength) {

  /** Checks what is required. */
  public PreferenceDataConfig {
    Objects.requireNonNull(trainFile, "trainFile");
    Objects.requireNonNull(fields, "fields");
    if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("holdoutFraction must be in [0, 1), got " + holdoutFraction);
    }
    if (maxPromptLength < 1 || maxPromptLength >= maxLength) {
      throw new IllegalArgumentException(
          "max_prompt_length must be at least 1 and below max_length (" + maxLength
              + ", which also holds the answer), got " + maxPromptLength);
    }
  }
}
