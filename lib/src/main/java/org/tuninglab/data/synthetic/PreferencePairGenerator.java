package org.tuninglab.data.synthetic;

import static org.tuninglab.data.synthetic.Lexicon.jsonList;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A seeded generator of preference pairs over the entity task: the same texts as {@link
 * EntityTaskGenerator}, where the chosen answer leaves out the fields with nothing found ({@code
 * {"people": ["Anna"], "places": ["Oakvale"]}}) and the rejected answer is the full one the entity
 * task teaches ({@code ..., "dates": []}). Only texts with at least one empty field make a pair
 * (otherwise both answers are equal), and no text repeats, so a holdout drawn after the training
 * pairs holds unseen prompts.
 */
final class PreferencePairGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One pair: the text, the compact and the full answer, and the text's style. */
  record Pair(String prompt, String chosen, String rejected, String domain) {}

  private final EntityTaskGenerator texts;
  private final Set<String> seen = new HashSet<>();
  private int turn;

  PreferencePairGenerator(long seed) {
    this.texts = new EntityTaskGenerator(seed);
  }

  /** The next pair; the domains take turns. */
  Pair next() throws JsonProcessingException {
    String domain = EntityTaskGenerator.DOMAINS.get(turn++ % EntityTaskGenerator.DOMAINS.size());
    while (true) {
      EntityTaskGenerator.Item item = texts.next(domain);
      String compact = compact(item.completion());
      if (!compact.equals(item.completion()) && seen.add(item.prompt())) {
        return new Pair(item.prompt(), compact, item.completion(), domain);
      }
    }
  }

  /** The answer without its empty lists, written like the full one. */
  static String compact(String full) throws JsonProcessingException {
    JsonNode answer = JSON.readTree(full);
    List<String> fields = new ArrayList<>();
    answer
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isEmpty()) {
                List<String> items = new ArrayList<>();
                e.getValue().forEach(v -> items.add(v.asText()));
                fields.add("\"" + e.getKey() + "\": " + jsonList(items));
              }
            });
    return "{" + String.join(", ", fields) + "}";
  }
}
