package org.tuninglab.lesson;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The conclusions the data notebook draws, written from its run's numbers: what the learning curve
 * shows, what corrupted completions cost, and what the few-shot prompt costs against the
 * fine-tuned model's. A difference smaller than what the holdout can tell apart is called so,
 * rather than read as an effect.
 */
public final class DataConclusion {
  /** The smallest relative change of the holdout's loss read as a difference. */
  static final double LOSS_NOTICEABLE = 0.02;

  private DataConclusion() {}

  /**
   * What the learning curve shows: the scores at the smallest and the largest set, where the best
   * entity F1 was reached, and the holdout's loss, which moves before the answers do.
   *
   * @param curve the clean runs, any order
   * @return the conclusion
   * @throws IllegalArgumentException if there are fewer than two runs
   */
  public static Markdown curve(List<DataRun> curve) {
    if (curve.size() < 2) {
      throw new IllegalArgumentException("a curve needs at least two sizes; got " + curve.size());
    }
    List<DataRun> runs = curve.stream().sorted(Comparator.comparingInt(DataRun::examples)).toList();
    DataRun small = runs.get(0);
    DataRun large = runs.get(runs.size() - 1);
    double bestF1 = runs.stream().mapToDouble(r -> r.score().entityF1()).max().orElseThrow();
    double lowF1 = runs.stream().mapToDouble(r -> r.score().entityF1()).min().orElseThrow();
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "**In this run**, with %d updates for every size, %d examples reached entity F1 %.2f and exact"
            + " match %.0f%%; %d examples reached %.2f and %.0f%%.",
        small.steps(), small.examples(), small.score().entityF1(), 100 * small.score().exactMatch(),
        large.examples(), large.score().entityF1(), 100 * large.score().exactMatch()));
    if (bestF1 - lowF1 < Contrast.NOTICEABLE) {
      md.append(String.format(Locale.ROOT,
          " The curve is flat: every size scored within %.2f of the others, less than this holdout"
              + " tells apart, so on this model and budget more data did not show in the answers.",
          bestF1 - lowF1));
    } else {
      DataRun enough = runs.stream().filter(r -> r.score().entityF1() >= bestF1 - Contrast.NOTICEABLE)
          .findFirst().orElseThrow();
      md.append(String.format(Locale.ROOT,
          " The best entity F1 was %.2f; %d examples already came within %.2f of it%s.", bestF1,
          enough.examples(), Contrast.NOTICEABLE,
          enough == large ? " (only the largest set did)"
              : ", and the larger sets added less than that"));
    }
    double change = (large.taskLoss() - small.taskLoss()) / small.taskLoss();
    md.append(String.format(Locale.ROOT, " The holdout's loss went from %.3f at %d examples to %.3f at %d: %s.",
        small.taskLoss(), small.examples(), large.taskLoss(), large.examples(),
        Math.abs(change) < LOSS_NOTICEABLE
            ? String.format(Locale.ROOT, "within %.0f %%, so at this budget the number of examples"
                + " did not change how well the model fits unseen answers either", 100 * LOSS_NOTICEABLE)
            : change < 0 ? "more examples fitted the unseen answers better, whether or not the scores show it"
                : "the small set's repeated examples fitted the unseen answers better than more data did"));
    return new Markdown(md.toString());
  }

  /**
   * What corrupted completions cost: the same set and updates, clean against corrupted.
   *
   * @param clean the run on the clean examples
   * @param corrupted the run on the same examples with some completions wrong
   * @return the conclusion
   */
  public static Markdown corruption(DataRun clean, DataRun corrupted) {
    double f1 = corrupted.score().entityF1() - clean.score().entityF1();
    double exact = corrupted.score().exactMatch() - clean.score().exactMatch();
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "**In this run** %d of %d completions were wrong. Entity F1 went from %.2f (clean) to %.2f,"
            + " exact match from %.0f%% to %.0f%%, the holdout's loss from %.3f to %.3f.",
        corrupted.corrupted(), corrupted.examples(), clean.score().entityF1(),
        corrupted.score().entityF1(), 100 * clean.score().exactMatch(),
        100 * corrupted.score().exactMatch(), clean.taskLoss(), corrupted.taskLoss()));
    if (Math.max(-f1, -exact) >= Contrast.NOTICEABLE) {
      md.append(" The wrong labels cost answers: the model learned some of the mistakes.");
    } else if (Math.max(f1, exact) >= Contrast.NOTICEABLE) {
      md.append(" The corrupted run scored higher: on this few items that is chance, not a benefit"
          + " of wrong labels; the loss says more.");
    } else {
      md.append(" The scores moved by less than this holdout tells apart");
      md.append(corrupted.taskLoss() > clean.taskLoss()
          ? ", but the loss rose: the model did learn some of the wrong answers."
          : ", and the loss did not rise: at this budget the model had not yet learned the wrong"
              + " answers.");
    }
    return new Markdown(md.toString());
  }

  /**
   * What the few-shot prompt costs against the fine-tuned model's plain prompt.
   *
   * @param study the two ways of asking, measured
   * @return the conclusion
   */
  public static Markdown cost(PromptSizeStudy study) {
    PromptCost shots = study.fewShot();
    PromptCost tuned = study.fineTuned();
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "**In this run** the %d-shot prompt took %.0f tokens against the fine-tuned model's %.0f:"
            + " %.1f× the tokens to read on every request.",
        PromptSizeStudy.SHOTS, shots.promptTokens(), tuned.promptTokens(), study.tokenRatio()));
    if (Double.isNaN(shots.msPerAnswer())) {
      md.append(String.format(Locale.ROOT,
          " None of the %d few-shot prompts left room for an answer in the model's context, so"
              + " there is no time to compare: the prompt size alone rules few-shot out here.",
          shots.answers()));
    } else {
      md.append(String.format(Locale.ROOT,
          " Reading the prompt (the time to the first token) took %.0f ms against %.0f ms: %s."
              + " A whole answer took %.0f ms for %.0f tokens against %.0f ms for %.0f tokens%s.",
          shots.msFirstToken(), tuned.msFirstToken(), times(study.firstTokenRatio()),
          shots.msPerAnswer(), shots.answerTokens(), tuned.msPerAnswer(), tuned.answerTokens(),
          study.latencyRatio() < 1 && shots.answerTokens() < tuned.answerTokens()
              ? ": the answers' lengths, not the prompts, decide the whole time here" : ""));
      if (shots.failures() > 0) {
        md.append(String.format(Locale.ROOT,
            " %d of %d few-shot prompts did not leave room for an answer in the context (left out"
                + " of the times, scored as empty answers).",
            shots.failures(), shots.answers()));
      }
    }
    md.append(String.format(Locale.ROOT, " Entity F1: %.2f few-shot, %.2f fine-tuned.",
        shots.entityF1(), tuned.entityF1()));
    return new Markdown(md.toString());
  }

  /** A ratio of times in words: about the same within 5 %, else how many times slower or faster. */
  private static String times(double ratio) {
    if (Math.abs(ratio - 1) < 0.05) {
      return "about the same";
    }
    return String.format(Locale.ROOT, "%.1f× %s", ratio >= 1 ? ratio : 1 / ratio,
        ratio >= 1 ? "slower with the few-shot prompt" : "faster with the few-shot prompt");
  }
}
