package org.tuninglab.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.tuninglab.prompt.JsonCheck;
import org.tuninglab.prompt.JsonOutput;

/** Reads the entities a reply names, for {@link EntityOverlap}. */
@FunctionalInterface
public interface EntityExtractor {

  /**
   * Extracts the entities of one reply.
   *
   * @param reply the model's reply
   * @return the entities in reply order (empty when the reply names none or cannot be read)
   */
  List<String> extract(String reply);

  /**
   * Entities from a JSON list in the reply, found by {@link JsonOutput}: {@code field} names the
   * list in the top-level object (null: the reply's JSON is the list itself); {@code key} names the
   * text inside each element when elements are objects (null: elements are strings). Elements of
   * any other form, and replies without valid JSON, give no entities.
   *
   * <pre>{@code
   * // {"entities": [{"entity": "Apple", "type": "Organization"}, ...]}
   * EntityExtractor.jsonList("entities", "entity")
   * }</pre>
   *
   * @param field the list's key, or null
   * @param key the text key of object elements, or null
   * @return the extractor
   */
  static EntityExtractor jsonList(String field, String key) {
    return reply -> {
      JsonCheck check = JsonOutput.check(reply);
      if (!check.valid()) {
        return List.of();
      }
      JsonNode list = field == null ? check.value() : check.value().get(field);
      if (list == null || !list.isArray()) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (JsonNode element : list) {
        JsonNode text = key == null ? element : element.get(key);
        if (text != null && text.isValueNode() && !text.isNull()) {
          out.add(text.asText());
        }
      }
      return out;
    };
  }

  /**
   * Typed entities from a JSON object of lists, found by {@link JsonOutput}: every string in every
   * list-valued field becomes {@code "field: value"}, so {@code {"people": ["Anna"], "places":
   * ["Oakvale"]}} gives {@code people: Anna} and {@code places: Oakvale}, and a name under the
   * wrong field does not count. Replies without a valid JSON object give no entities.
   *
   * @return the extractor
   */
  static EntityExtractor jsonFields() {
    return reply -> {
      JsonCheck check = JsonOutput.check(reply);
      if (!check.valid() || !check.value().isObject()) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      check.value().properties().forEach(field -> {
        if (field.getValue().isArray()) {
          for (JsonNode element : field.getValue()) {
            if (element.isValueNode() && !element.isNull()) {
              out.add(field.getKey() + ": " + element.asText());
            }
          }
        }
      });
      return out;
    };
  }

  /**
   * Entities as the reply's parts between delimiters, each trimmed; blank parts are dropped.
   *
   * @param delimiter the literal delimiter, for example {@code ","} or {@code "\n"}
   * @return the extractor
   */
  static EntityExtractor delimited(String delimiter) {
    Objects.requireNonNull(delimiter, "delimiter");
    if (delimiter.isEmpty()) {
      throw new IllegalArgumentException("delimiter must not be empty");
    }
    Pattern split = Pattern.compile(Pattern.quote(delimiter));
    return reply ->
        split.splitAsStream(reply).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
