package org.tuninglab.eval;

import java.util.Objects;

/**
 * Which fields (JSON keys or CSV columns) hold a labelled example's parts. Every other scalar field
 * becomes one of the example's {@link LabelledExample#fields()}.
 *
 * @param id the id field; when a record lacks it, the id is its origin ({@code "test.jsonl:7"})
 * @param input the input field (required in every record)
 * @param reference the reference answer field (required; a string or, in JSON, a number)
 * @param entities the gold entities field (optional): a JSON array of strings, or a string split on
 *     {@code entityDelimiter} (the only form a CSV cell has)
 * @param category the category field (optional)
 * @param entityDelimiter separates entities written as one string, for example {@code "|"}
 */
public record LabelledFields(
    String id,
    String input,
    String reference,
    String entities,
    String category,
    String entityDelimiter) {

  /** {@code id, input, reference, entities, category}, entities in a string split on {@code |}. */
  public static final LabelledFields DEFAULT =
      new LabelledFields("id", "input", "reference", "entities", "category", "|");

  /** Rejects nulls and an empty delimiter. */
  public LabelledFields {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(entityDelimiter, "entityDelimiter");
    if (entityDelimiter.isEmpty()) {
      throw new IllegalArgumentException("entityDelimiter must not be empty");
    }
  }

  /**
   * Maps the input and the reference to other field names, for example {@code problem} and {@code
   * answer}.
   *
   * @param input the input field
   * @param reference the reference field
   * @return the mapping, other names as in {@link #DEFAULT}
   */
  public static LabelledFields of(String input, String reference) {
    return new LabelledFields(
        DEFAULT.id, input, reference, DEFAULT.entities, DEFAULT.category, DEFAULT.entityDelimiter);
  }

  /**
   * Renames the id field.
   *
   * @param field the id field
   * @return a copy with that id field
   */
  public LabelledFields withId(String field) {
    return new LabelledFields(field, input, reference, entities, category, entityDelimiter);
  }

  /**
   * Renames the entities field and sets its delimiter.
   *
   * @param field the entities field
   * @param delimiter separates entities written as one string
   * @return a copy with those settings
   */
  public LabelledFields withEntities(String field, String delimiter) {
    return new LabelledFields(id, input, reference, field, category, delimiter);
  }

  /**
   * Renames the category field.
   *
   * @param field the category field
   * @return a copy with that category field
   */
  public LabelledFields withCategory(String field) {
    return new LabelledFields(id, input, reference, entities, field, entityDelimiter);
  }
}
