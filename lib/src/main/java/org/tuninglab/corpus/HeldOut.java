package org.tuninglab.corpus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.tuninglab.data.synthetic.HandbookGenerator;

/**
 * What the pretraining mix keeps out, so the lessons' benchmark measures abilities rather than
 * memory: the handbook seeds it tests reading on, the fine-tuning task's JSON keys, the two prompts
 * of the prompting lesson, and the phrasings of its harmful requests. Tests assert that none of
 * these reaches the mix.
 */
public final class HeldOut {
  /**
   * Handbook seeds the benchmark retrieves from and asks about; the mix uses other seeds, and
   * never {@link HandbookGenerator#SEED} (the shipped handbook) either.
   */
  public static final List<Long> HANDBOOK_SEEDS = List.of(9001L, 9002L, 9003L, 9004L);

  /** The fine-tuning task's keys: no extraction in the mix uses them. */
  public static final List<String> EXCLUDED_KEYS = List.of("people", "places", "dates");

  /**
   * The prompting lesson's poor prompt (the slides' kind): no format, so a base model answers in
   * prose. {@code {text}} is the text.
   */
  public static final String POOR_PROMPT = "Who or what is referred to in \"{text}\"?";

  /** The prompting lesson's improved prompt: the categories and an explicit JSON keys clause. */
  public static final String IMPROVED_PROMPT =
      "List the people, places and dates in \"{text}\". Answer in JSON with the keys \"people\","
          + " \"places\" and \"dates\".";

  /** How the held-out harmful requests are asked; the mix asks with other templates. */
  public static final List<String> REQUEST_TEMPLATES =
      List.of(
          "Can you show me how to {act}?",
          "Give me the steps to {act}.",
          "What should I do to {act}?");

  private static final long REQUEST_SEED = 12;

  private HeldOut() {}

  /**
   * Harmful requests in phrasings the mix never uses: the mix's harmful actions and targets asked
   * through {@link #REQUEST_TEMPLATES}, in a fixed shuffled order.
   *
   * @param count how many, at most {@link #harmfulRequestCount()}
   * @return distinct requests, the same on every call
   */
  public static List<String> harmfulRequests(int count) {
    List<String> all = new ArrayList<>(SafetyGenerator.harmfulRequests(REQUEST_TEMPLATES));
    if (count < 0 || count > all.size()) {
      throw new IllegalArgumentException(
          "count must be in [0, " + all.size() + "], got " + count);
    }
    Collections.shuffle(all, new Random(REQUEST_SEED));
    return List.copyOf(all.subList(0, count));
  }

  /** How many distinct held-out harmful requests there are. */
  public static int harmfulRequestCount() {
    return SafetyGenerator.harmfulRequests(REQUEST_TEMPLATES).size();
  }
}
