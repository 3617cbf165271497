package org.tuninglab.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What notebook 03 concludes, written from its run's numbers: each technique's figure without and
 * with it ({@link Contrast}) beside the fine-tuned model's ({@link TunedBaseline}), and which
 * retriever found the answers' sections ({@link RetrievalComparison}). A change smaller than
 * {@value Contrast#NOTICEABLE} either way is called no difference: on a few dozen items it is one or two
 * answers.
 */
public final class PromptingConclusion {
  private PromptingConclusion() {}

  /**
   * A technique's two figures, as a table.
   *
   * @param c the technique's contrast
   * @return one row per condition: its name, the measure, the items
   */
  public static Table table(Contrast c) {
    return Table.create(c.measure() + ", measured in this run",
        StringColumn.create("condition", c.first(), c.second()),
        DoubleColumn.create(c.measure(), c.firstValue(), c.secondValue()),
        IntColumn.create("items", c.items(), c.items()));
  }

  /**
   * A technique's two figures and the fine-tuned model's on the same items, as a table.
   *
   * @param c the technique's contrast
   * @param tunedName the fine-tuned row's name
   * @param tuned the fine-tuned model's figure (same measure, same items)
   * @return one row per condition: its name, the measure, the items
   */
  public static Table table(Contrast c, String tunedName, double tuned) {
    return Table.create(c.measure() + ", measured in this run",
        StringColumn.create("condition", c.first(), c.second(), tunedName),
        DoubleColumn.create(c.measure(), c.firstValue(), c.secondValue(), tuned),
        IntColumn.create("items", c.items(), c.items(), c.items()));
  }

  /**
   * Poor vs improved prompt, and the fine-tuned model's valid-JSON rate.
   *
   * @param prompting valid-JSON rate, poor then improved prompt
   * @param tuned the fine-tuned model on the same texts
   * @return the sentences
   */
  public static Markdown prompting(Contrast prompting, ExtractionScore tuned) {
    return new Markdown(String.format(Locale.ROOT,
        "**In this run** the improved prompt %s the base model's valid-JSON rate (%.3f → %.3f on %d texts)%s."
            + " The fine-tuned model wrote valid JSON for %.3f of the same texts, with only its training's"
            + " system prompt before the text.%s",
        effect(prompting.change()), prompting.firstValue(), prompting.secondValue(), prompting.items(),
        absent(prompting.change()), tuned.validJson(), note(prompting)));
  }

  /**
   * 0-shot vs 3-shot, and the fine-tuned model's entity F1.
   *
   * @param fewShot entity F1, 0-shot then 3-shot
   * @param tuned the fine-tuned model on the same texts
   * @return the sentences
   */
  public static Markdown fewShot(Contrast fewShot, ExtractionScore tuned) {
    double best = Math.max(fewShot.firstValue(), fewShot.secondValue());
    String against = tuned.entityF1() > best + Contrast.NOTICEABLE ? "above both prompted figures"
        : tuned.entityF1() < best - Contrast.NOTICEABLE ? "below the better prompted figure"
        : "level with the better prompted figure";
    return new Markdown(String.format(Locale.ROOT,
        "**In this run** three worked examples %s the base model's entity F1 (%.3f → %.3f on %d texts)%s."
            + " The fine-tuned model reached %.3f on the same texts, %s.%s",
        effect(fewShot.change()), fewShot.firstValue(), fewShot.secondValue(), fewShot.items(),
        absent(fewShot.change()), tuned.entityF1(), against, note(fewShot)));
  }

  /**
   * Which retriever found the answers' sections, at the smallest and the largest cut-off.
   *
   * @param r the comparison
   * @return the sentences
   */
  public static Markdown retrieval(RetrievalComparison r) {
    List<String> sentences = new ArrayList<>();
    for (int k : List.of(r.ks().get(0), r.ks().get(r.ks().size() - 1))) {
      List<String> figures = new ArrayList<>();
      for (String name : r.retrievers()) {
        figures.add(String.format(Locale.ROOT, "%s %.2f", name, r.get(name, k).recall()));
      }
      sentences.add(String.format(Locale.ROOT, "recall@%d is %s, so %s ranks best there", k,
          String.join(", ", figures), r.best(k).retriever()));
      if (r.ks().size() == 1) {
        break;
      }
    }
    int n = r.results().get(0).get(0).perQuestion().size();
    return new Markdown(String.format(Locale.ROOT, "**In this run**, over %d questions, %s.", n,
        String.join("; ", sentences)));
  }

  /**
   * Closed-book vs grounded answers, and what the grounded answers cite.
   *
   * @param rag answer accuracy, closed-book then retrieved
   * @param citations the grounded answers' citations
   * @return the sentences
   */
  public static Markdown rag(Contrast rag, CitationRate citations) {
    return new Markdown(String.format(Locale.ROOT,
        "**In this run** putting the retrieved sections in the prompt %s answer accuracy (%.3f closed-book →"
            + " %.3f grounded, %d questions)%s. Of %d grounded answers, %d cite a source and %d cite only sources"
            + " they were given.%s",
        effect(rag.change()), rag.firstValue(), rag.secondValue(), rag.items(), absent(rag.change()), citations.replies(),
        citations.citing(), citations.valid(), note(rag)));
  }

  /**
   * The 3-shot figure under the task's keys against the same prompts under keys the model has met
   * ({@link LessonBench#fewShotWithSeenKeys()}).
   *
   * @param fewShot entity F1, 0-shot then 3-shot, under the task's keys
   * @param seenKeys entity F1, 3-shot, under keys the model has met
   * @return the sentences
   */
  public static Markdown fewShotKeys(Contrast fewShot, double seenKeys) {
    double change = seenKeys - fewShot.secondValue();
    double taskLift = fewShot.change();
    String reading = change >= Contrast.NOTICEABLE
        ? "the examples are followed better when their keys already mean something to the model; "
            + (taskLift >= Contrast.NOTICEABLE
                ? String.format(Locale.ROOT, "still, they lifted F1 over 0-shot by %.3f under the task's"
                    + " keys against %.3f under keys it has met, so three examples taught it part of what a new"
                    + " key means", taskLift, seenKeys - fewShot.firstValue())
                : "three examples show it a format, they do not teach it what a new key means")
        : change <= -Contrast.NOTICEABLE
            ? "keys the model has met did worse, so the task's keys are not what limits few-shot here"
            : "the keys made no difference, so the examples taught the task's keys as well as the model"
                + " knew its own";
    return new Markdown(String.format(Locale.ROOT,
        "**In this run** renaming the task's keys to ones the model has met (%s), in the examples and"
            + " in the answers scored, %s 3-shot entity F1 (%.3f → %.3f on %d texts): %s.",
        String.join(", ", LessonBench.SEEN_KEYS.values()), effect(change), fewShot.secondValue(),
        seenKeys, fewShot.items(), reading));
  }

  /** "raised", "lowered" or "did not change" (less than {@value Contrast#NOTICEABLE} either way). */
  static String effect(double change) {
    return change >= Contrast.NOTICEABLE ? "raised" : change <= -Contrast.NOTICEABLE ? "lowered" : "did not change";
  }

  /** After the figures: nothing, or that the effect did not show. */
  static String absent(double change) {
    return Math.abs(change) < Contrast.NOTICEABLE ? ": the effect did not appear on this model" : "";
  }

  private static String note(Contrast c) {
    return c.note().isEmpty() ? "" : " Note: " + c.note() + ".";
  }
}
