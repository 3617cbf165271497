package org.tuninglab.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the JSON a model was asked to answer in.
 *
 * <p>The first {@code {} or {@code [} in the reply starts the JSON; prose before it ("Sure! Here
 * is JSON...") and Markdown fences around it are skipped. Its end is the matching bracket, counted
 * outside JSON strings (escapes respected). That block is parsed strictly with Jackson and never
 * repaired: a reply whose first JSON block is malformed is invalid, even if a later one would
 * parse, because measuring format-following is the point.
 */
public final class JsonOutput {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonOutput() {}

  /**
   * Finds the first JSON object or array in a reply, by bracket matching only (not parsed).
   *
   * @param reply the model's reply
   * @return the candidate text from its opening to its matching closing bracket, or to the end of
   *     the reply when the brackets never balance; empty if the reply has no {@code {} or {@code [}
   */
  public static Optional<String> extract(String reply) {
    Objects.requireNonNull(reply, "reply");
    int start = -1;
    for (int i = 0; i < reply.length(); i++) {
      char c = reply.charAt(i);
      if (c == '{' || c == '[') {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return Optional.empty();
    }
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < reply.length(); i++) {
      char c = reply.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++; // the escaped character cannot end the string
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return Optional.of(reply.substring(start, i + 1));
        }
      }
    }
    return Optional.of(reply.substring(start));
  }

  /**
   * Checks that a reply holds parseable JSON, of any shape.
   *
   * @param reply the model's reply
   * @return the verdict, with the parsed value when there is one
   */
  public static JsonCheck check(String reply) {
    return check(reply, JsonShape.any());
  }

  /**
   * Checks that a reply holds parseable JSON of the expected shape.
   *
   * @param reply the model's reply
   * @param shape what the JSON must look like
   * @return the verdict: the parsed value (if any) and every reason it is invalid
   */
  public static JsonCheck check(String reply, JsonShape shape) {
    Objects.requireNonNull(shape, "shape");
    Optional<String> json = extract(reply);
    if (json.isEmpty()) {
      return new JsonCheck(false, null, List.of("no JSON object or array in the reply"));
    }
    JsonNode value;
    try {
      value = MAPPER.readTree(json.get());
    } catch (JsonProcessingException e) {
      return new JsonCheck(false, null, List.of("invalid JSON: " + e.getOriginalMessage()));
    }
    List<String> problems = shape.problems(value);
    return new JsonCheck(problems.isEmpty(), value, problems);
  }

  /**
   * The fraction of replies that hold JSON of the expected shape.
   *
   * @param replies the model's replies, one per prompt
   * @param shape what the JSON must look like
   * @return valid replies / all replies, in [0, 1]
   * @throws IllegalArgumentException if there are no replies (a rate of nothing is undefined)
   */
  public static double validityRate(List<String> replies, JsonShape shape) {
    Objects.requireNonNull(replies, "replies");
    if (replies.isEmpty()) {
      throw new IllegalArgumentException("replies is empty: no validity rate to compute");
    }
    long valid = replies.stream().filter(r -> check(r, shape).valid()).count();
    return (double) valid / replies.size();
  }
}
