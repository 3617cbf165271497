package org.tuninglab.eval;

import java.util.Objects;
import org.tuninglab.prompt.JsonOutput;
import org.tuninglab.prompt.JsonShape;

/**
 * The JSON validity rate: 1 for a reply whose first JSON block parses strictly and fits the shape
 * ({@link JsonOutput#check(String, JsonShape)}), 0 otherwise; the rate is the mean.
 */
public final class JsonValidity implements ReplyMetric {

  private final JsonShape shape;

  private JsonValidity(JsonShape shape) {
    this.shape = Objects.requireNonNull(shape, "shape");
  }

  /**
   * Any parseable JSON object or array counts, named {@code json_valid}.
   *
   * @return the metric
   */
  public static JsonValidity any() {
    return new JsonValidity(JsonShape.any());
  }

  /**
   * JSON of this shape counts, named {@code json_valid}.
   *
   * @param shape what the JSON must look like
   * @return the metric
   */
  public static JsonValidity of(JsonShape shape) {
    return new JsonValidity(shape);
  }

  @Override
  public String name() {
    return "json_valid";
  }

  @Override
  public double score(LabelledExample example, String reply) {
    return JsonOutput.check(reply, shape).valid() ? 1 : 0;
  }

  @Override
  public String toString() {
    return name();
  }
}
