package org.tuninglab.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.tuninglab.prompt.JsonCheck;
import org.tuninglab.prompt.JsonOutput;

/**
 * The preference rate of the shipped preference data set ({@code datasets/preferences}): 1 for a
 * reply that is a compact JSON answer, 0 otherwise. Compact means: the reply is one JSON object
 * (nothing but whitespace before or after it), and no field holds an empty list, since a field with
 * nothing found is left out. The rule reads the generated text only, never log-probabilities, so
 * it measures what a user sees.
 *
 * <p>It judges form, not content: an answer that invents an entity to fill a field passes here and
 * fails the task score ({@link EntityOverlap}), which is why the two are reported together.
 */
public final class CompactJson implements ReplyMetric {

  /**
   * Whether a reply is a compact JSON answer.
   *
   * @param reply the generated text
   * @return true if it is one JSON object alone, with no empty list among its values
   */
  public static boolean preferred(String reply) {
    Optional<String> block = JsonOutput.extract(reply);
    if (block.isEmpty() || !reply.strip().equals(block.get())) {
      return false;
    }
    JsonCheck check = JsonOutput.check(reply);
    if (!check.valid() || !check.value().isObject() || check.value().isEmpty()) {
      return false;
    }
    for (JsonNode value : check.value()) {
      if (value.isArray() && value.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String name() {
    return "preference_rate";
  }

  @Override
  public double score(LabelledExample example, String reply) {
    return preferred(reply) ? 1 : 0;
  }

  @Override
  public String toString() {
    return name();
  }
}
