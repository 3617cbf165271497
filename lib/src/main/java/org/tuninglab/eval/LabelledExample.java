package org.tuninglab.eval;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tuninglab.prompt.FewShotExample;

/**
 * One example of an evaluation set: the input a strategy turns into a prompt and the answer it is
 * judged against.
 *
 * @param id unique within its set; also seeds the example's decoding (see {@link
 *     EvalHarness#exampleSeed})
 * @param input the question or text to work on
 * @param fields other input fields by name (for example {@code subject}), which prompt templates
 *     may use beside {@code {input}}
 * @param reference the reference answer
 * @param entities the gold entities, or null when the example has none (empty means "no entities")
 * @param category the group for per-category breakdowns, or null
 */
public record LabelledExample(
    String id,
    String input,
    Map<String, String> fields,
    String reference,
    List<String> entities,
    String category) {

  /** Rejects nulls where a value is required and copies the collections. */
  public LabelledExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(reference, "reference");
    fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
    entities = entities == null ? null : List.copyOf(entities);
    if (id.isBlank()) {
      throw new IllegalArgumentException("example id must not be blank");
    }
  }

  /**
   * An example with only an id, an input and a reference.
   *
   * @param id the id
   * @param input the input
   * @param reference the reference answer
   * @return the example
   */
  public static LabelledExample of(String id, String input, String reference) {
    return new LabelledExample(id, input, Map.of(), reference, null, null);
  }

  /**
   * This example with gold entities read from its own reference, for sets whose reference answer
   * is itself the structured output (a JSON object of entity lists, say).
   *
   * @param extractor reads the entities, as it reads a reply's
   * @return the example with {@code entities} set
   */
  public LabelledExample withEntitiesFromReference(EntityExtractor extractor) {
    return new LabelledExample(
        id, input, fields, reference, extractor.extract(reference), category);
  }

  /**
   * The gold entities, when the example has them.
   *
   * @return the entities, or empty when none were given
   */
  public Optional<List<String>> goldEntities() {
    return Optional.ofNullable(entities);
  }

  /**
   * This example as a worked example for a few-shot prompt: its input and its reference.
   *
   * @return the few-shot example
   */
  public FewShotExample asFewShot() {
    return new FewShotExample(input, reference);
  }
}
