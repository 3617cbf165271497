package org.tuninglab.lesson;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The conclusion a fine-tuning notebook draws, written from its run's numbers: what one run
 * learned and forgot (notebook 01), or which method learned most, forgot least and how their
 * times compare (notebook 02).
 */
public final class FinetuneConclusion {
  private FinetuneConclusion() {}

  /**
   * What one fine-tune changed: the task loss, the answers' metrics and the story loss.
   *
   * @param before the untuned model's measurement
   * @param after the tuned model's
   * @return two sentences with this run's numbers
   */
  public static Markdown of(Measurement before, Measurement after) {
    ExtractionScore b = before.score();
    ExtractionScore a = after.score();
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "**In this run** the task holdout loss went from %.3f to %.3f; of the %d greedy answers,"
            + " valid JSON went from %.0f%% to %.0f%%, entity F1 from %.2f to %.2f and exact match from"
            + " %.0f%% to %.0f%%.",
        before.taskLoss(), after.taskLoss(), a.examples(), 100 * b.validJson(), 100 * a.validJson(),
        b.entityF1(), a.entityF1(), 100 * b.exactMatch(), 100 * a.exactMatch()));
    if (!Double.isNaN(before.generalLoss()) && !Double.isNaN(after.generalLoss())) {
      double change = after.generalLoss() - before.generalLoss();
      // A rise of the mean loss by d nats is the story tokens' likelihood (geometric mean) over e^d.
      md.append(String.format(Locale.ROOT, " The story holdout loss %s from %.3f to %.3f: %s.",
          change > 0 ? "rose" : "fell", before.generalLoss(), after.generalLoss(),
          change > 0
              ? String.format(Locale.ROOT, "the model forgot %s of its general text (a story token is now"
                  + " %.3g times less likely on average)", change >= Math.log(2) ? "much" : "some",
                  Math.exp(change))
              : "no forgetting shows on the stories"));
    }
    return new Markdown(md.toString());
  }

  /**
   * Which method reached the lowest task loss, which forgot least (the smallest rise of the story
   * loss), and LoRA's training time against the full fine-tune's where both ran.
   *
   * @param rows the methods' measurements
   * @return the conclusion, one sentence per finding
   * @throws IllegalArgumentException if there are no rows
   */
  public static Markdown of(List<FinetuneComparison.Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no methods were measured: run at least one config first");
    }
    FinetuneComparison.Row learned =
        rows.stream().min(Comparator.comparingDouble(FinetuneComparison.Row::lossAfter)).orElseThrow();
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "**In this run** %s reached the lowest task loss (%.3f, from %.3f before)",
        learned.method(), learned.lossAfter(), learned.lossBefore()));
    Optional<FinetuneComparison.Row> kept = rows.stream()
        .filter(r -> !Double.isNaN(r.generalLossBefore()) && !Double.isNaN(r.generalLossAfter()))
        .min(Comparator.comparingDouble(FinetuneComparison.Row::forgetting));
    kept.ifPresent(r -> md.append(String.format(Locale.ROOT,
        "; %s forgot least: its story loss %s by %.3f (%.3f to %.3f)", r.method(),
        r.forgetting() > 0 ? "rose" : "fell", Math.abs(r.forgetting()), r.generalLossBefore(),
        r.generalLossAfter())));
    md.append('.');
    Optional<FinetuneComparison.Row> lora = method(rows, "lora");
    Optional<FinetuneComparison.Row> full = method(rows, "full");
    if (lora.isPresent() && full.isPresent() && full.get().seconds() > 0) {
      double ratio = lora.get().seconds() / full.get().seconds();
      // Within 5 % either way, "1.0× faster" would say nothing: say the times are alike.
      String comparison = Math.abs(ratio - 1) < 0.05 ? "about as long as the full fine-tune"
          : String.format(Locale.ROOT, "%.1f× %s", ratio >= 1 ? ratio : 1 / ratio,
              ratio >= 1 ? "as long as the full fine-tune" : "faster than the full fine-tune");
      md.append(String.format(Locale.ROOT,
          " LoRA trained %,d parameters against the full fine-tune's %,d and took %.0f s against %.0f s: %s.",
          lora.get().trainableParameters(), full.get().trainableParameters(), lora.get().seconds(),
          full.get().seconds(), comparison));
    }
    return new Markdown(md.toString());
  }

  private static Optional<FinetuneComparison.Row> method(List<FinetuneComparison.Row> rows, String name) {
    return rows.stream().filter(r -> r.method().equals(name)).findFirst();
  }
}
