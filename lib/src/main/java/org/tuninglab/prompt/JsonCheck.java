package org.tuninglab.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The verdict on one model reply.
 *
 * @param valid whether the reply held parseable JSON of the expected shape
 * @param value the parsed JSON, or null when none could be parsed
 * @param reasons why the reply is invalid (no JSON, the parse error, shape mismatches); empty when
 *     valid
 */
public record JsonCheck(boolean valid, JsonNode value, List<String> reasons) {

  /** Keeps {@code valid} and {@code reasons} consistent. */
  public JsonCheck {
    reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
    if (valid != reasons.isEmpty()) {
      throw new IllegalArgumentException(
          "a check is valid exactly when it has no reasons; got valid=" + valid + ", " + reasons);
    }
  }
}
