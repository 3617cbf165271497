package org.tuninglab.lesson;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.data.PreferencePair;
import org.tuninglab.data.Split;
import org.tuninglab.eval.CompactJson;
import org.tuninglab.eval.EntityExtractor;
import org.tuninglab.eval.EntityOverlap;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExampleReply;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.preference.PreferenceLoss;
import org.tuninglab.preference.PreferenceMetrics;
import org.tuninglab.preference.PreferenceObjective;
import org.tuninglab.preference.ReferenceModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.train.DpoConfig;
import org.tuninglab.train.DpoObjective;
import org.tuninglab.train.DpoRecipe;
import org.tuninglab.train.DpoResult;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.TrainingListener;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The lesson's before/after measurement of one preference run, in the order a notebook shows it:
 * the starting (SFT) model measured ({@link #before()}), the run ({@link #train}), the trained
 * model measured on the same pairs and prompts ({@link #after()}), the two side by side ({@link
 * #table}) with their answers ({@link #answers}). Each side is the holdout's {@code
 * rewards/accuracies} and {@code rewards/margins} (log-probabilities), and greedy answers to the
 * first holdout prompts judged on their text: the preference rate ({@link CompactJson}) and the
 * task score (entity F1 against the pair's full answer, which names the same entities as the
 * compact one). {@code ./tuninglab bench dpo} writes the same figures as JSON.
 */
public final class PreferenceBeforeAfter {
  private final DpoConfig config;
  private final PretrainedModel pretrained;
  private final int maxNewTokens;
  private final PreferenceCollator collator;
  private final Split<PreferencePair> split;
  private final List<EncodedPair> holdout;
  private final List<PreferencePair> sample;
  private Side before;
  private DpoResult result;
  private double seconds;
  private Side after;
  private BiConsumer<Integer, Integer> onAnswer = (done, total) -> {};

  /**
   * One side of the comparison.
   *
   * @param holdout the preference metrics on the whole holdout, TRL's names; before training the
   *     policy is its own reference (accuracy 0.5, margins 0)
   * @param answers the greedy answers to the sample, with their preference rate and entity F1
   * @param preferenceRate the fraction of answers that are compact JSON (judged on the text)
   * @param taskScore the answers' entity F1
   */
  public record Side(
      Map<String, Double> holdout, EvalResult answers, double preferenceRate, double taskScore) {

    /** The holdout's {@code rewards/accuracies}. */
    public double holdoutAccuracy() {
      return holdout.get("rewards/accuracies");
    }
  }

  private PreferenceBeforeAfter(
      DpoConfig config, PretrainedModel pretrained, int scored, int maxNewTokens) throws IOException {
    this.config = Objects.requireNonNull(config, "config");
    this.pretrained = Objects.requireNonNull(pretrained, "pretrained");
    this.maxNewTokens = maxNewTokens;
    this.collator = DpoRecipe.collator(config.data(), pretrained);
    this.split = DpoRecipe.split(config.data(), collator, config.trainer().seed());
    this.holdout = collator.encodeAll(split.holdout());
    this.sample = split.holdout().subList(0, Math.min(scored, split.holdout().size()));
    if (holdout.isEmpty()) {
      throw new IllegalArgumentException(
          "the comparison needs holdout pairs: set eval_file or holdout_fraction");
    }
  }

  /**
   * A comparison of one run on a loaded model.
   *
   * @param config the run; its output folder must not hold a checkpoint, and it must start from
   *     {@code model} itself (no {@code sft_adapter}: load the SFT model, or merge the adapter into
   *     it, first)
   * @param pretrained the starting model, loaded from the config's model; a full fine-tune trains
   *     it in place, and it is not closed by this
   * @param scored how many holdout prompts to answer greedily before and after
   * @param maxNewTokens the answers' length limit
   * @return the comparison, nothing measured yet
   * @throws IOException if the data cannot be read
   */
  public static PreferenceBeforeAfter of(
      DpoConfig config, PretrainedModel pretrained, int scored, int maxNewTokens) throws IOException {
    BeforeAfter.requireFreshOutput(config.trainer().outputDir());
    if (config.sftAdapter() != null) {
      throw new IllegalArgumentException(
          "the comparison measures the model it is given before training; merge the SFT adapter "
              + config.sftAdapter() + " into it (LoraModel.mergeAndUnload) and drop sft_adapter");
    }
    return new PreferenceBeforeAfter(config, pretrained, scored, maxNewTokens);
  }

  /**
   * The same run from the same model with only DPO's β changed, into a fresh folder: a second
   * comparison to train and measure beside this one ({@link BetaComparison}).
   *
   * @param beta the other β
   * @param outputDir the second run's folder, without a checkpoint
   * @return the second comparison, nothing measured yet
   * @throws IllegalArgumentException if this run's loss is not DPO's sigmoid loss
   * @throws IOException if the data cannot be read
   */
  public PreferenceBeforeAfter withBeta(double beta, Path outputDir) throws IOException {
    if (!(config.loss() instanceof PreferenceLoss.SigmoidDpo sigmoid)) {
      throw new IllegalArgumentException("β is compared for DPO's sigmoid loss; this run's loss is " + config.loss().name());
    }
    DpoConfig other = config.withLoss(PreferenceLoss.sigmoid(beta, sigmoid.labelSmoothing())).withOutputDir(outputDir);
    return of(other, pretrained, sample.size(), maxNewTokens);
  }

  /** This run's β. */
  public double beta() {
    return config.loss().beta();
  }

  /** The measurement of {@link #after()}, which must have run. */
  Side measuredAfter() {
    return BeforeAfter.measured(after, "after()");
  }

  /**
   * Follows the greedy answers of {@link #before()} and {@link #after()}, the slow part.
   *
   * @param listener called after each answer with the answers done and the sample's size
   * @return this
   */
  public PreferenceBeforeAfter onAnswer(BiConsumer<Integer, Integer> listener) {
    onAnswer = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The recipe's pairs and holdout, as the run sees them. */
  public Split<PreferencePair> split() {
    return split;
  }

  /** The run's collator: both answers of a pair after the prompt's chat template. */
  public PreferenceCollator collator() {
    return collator;
  }

  /** The holdout prompts answered before and after, with their two answers. */
  public List<PreferencePair> sample() {
    return sample;
  }

  /**
   * Measures the starting model: the holdout scored with the model as its own reference, and its
   * answers.
   *
   * @return the measurement
   * @throws IOException if an answer cannot be generated
   */
  public Side before() throws IOException {
    ForwardPass start = ForwardPass.of(pretrained.model());
    PreferenceObjective itself =
        PreferenceObjective.withReference(
            config.loss().needsReference() ? config.loss() : PreferenceLoss.dpo(),
            ReferenceModel.decoder(pretrained.model(), "the starting model"));
    PreferenceMetrics metrics =
        itself.evaluate(start, collator, holdout, config.trainer().batchSize());
    before = side(metrics.asMap(), LocalChatModel.builder().setModel(pretrained).optName("before"));
    return before;
  }

  /**
   * Runs the recipe on the loaded model.
   *
   * @param listeners see the training's progress (a notebook's live view)
   * @return what the run did
   * @throws IOException if the data or an output cannot be read or written
   */
  public DpoResult train(TrainingListener... listeners) throws IOException {
    long start = System.nanoTime();
    result = DpoRecipe.run(config, pretrained, listeners);
    seconds = (System.nanoTime() - start) / 1e9;
    return result;
  }

  /** Seconds the run took, reference precomputation included. */
  public double seconds() {
    return seconds;
  }

  /**
   * Measures the trained model: the last holdout evaluation's metrics, and answers from the
   * trained weights in place (full) or the saved adapter on a fresh copy of the starting model.
   *
   * @return the measurement
   * @throws IOException if the model or the adapter cannot be read
   */
  public Side after() throws IOException {
    if (result == null) {
      throw new IllegalStateException("train() the run before measuring after it");
    }
    List<EvalReport> evals = result.training().evaluations();
    if (evals.isEmpty()) {
      throw new IllegalStateException("the run evaluated no holdout: " + result.training().message());
    }
    Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    metrics.put("loss", evals.get(evals.size() - 1).loss());
    evals.get(evals.size() - 1).metrics().forEach(
        (k, v) -> metrics.put(k.substring(DpoObjective.EVAL_PREFIX.length()), v));
    if (!config.method().savesAdapter()) {
      after = side(metrics, LocalChatModel.builder().setModel(pretrained).optName("after"));
      return after;
    }
    if (result.adapter() == null) {
      throw new IllegalStateException("the run saved no adapter: " + result.training().message());
    }
    try (PretrainedModel fresh =
            LanguageModel.loadPretrained(
                config.model(), pretrained.model().manager().getDevice(),
                config.precision().dataType());
        AdaptedModel adapted = config.method().loadAdapter(result.adapter(), fresh.model())) {
      after = side(metrics, LocalChatModel.builder().setModel(fresh).optAdaptedModel(adapted).optName("after"));
    }
    return after;
  }

  /**
   * Before and after side by side.
   *
   * @param title the table's name
   * @return the table
   */
  public Table table(String title) {
    Side b = BeforeAfter.measured(before, "before()");
    Side a = BeforeAfter.measured(after, "after()");
    return Table.create(
        title,
        StringColumn.create("model", "before", "after"),
        DoubleColumn.create("holdout rewards/accuracies", b.holdoutAccuracy(), a.holdoutAccuracy()),
        DoubleColumn.create("holdout rewards/margins",
            b.holdout().get("rewards/margins"), a.holdout().get("rewards/margins")),
        DoubleColumn.create("holdout logps/chosen",
            b.holdout().get("logps/chosen"), a.holdout().get("logps/chosen")),
        DoubleColumn.create("preference_rate", b.preferenceRate(), a.preferenceRate()),
        DoubleColumn.create("entity_f1", b.taskScore(), a.taskScore()));
  }

  /**
   * The first answers before and after, beside the pair's chosen answer.
   *
   * @param n how many prompts
   * @return the table
   */
  public Table answers(int n) {
    List<ExampleReply> b = BeforeAfter.measured(before, "before()").answers().replies("before");
    List<ExampleReply> a = BeforeAfter.measured(after, "after()").answers().replies("after");
    int rows = Math.min(n, sample.size());
    StringColumn prompt = StringColumn.create("prompt");
    StringColumn chosen = StringColumn.create("chosen (preferred)");
    StringColumn was = StringColumn.create("before");
    StringColumn is = StringColumn.create("after");
    for (int i = 0; i < rows; i++) {
      prompt.append(userText(sample.get(i)));
      chosen.append(sample.get(i).chosen());
      was.append(b.get(i).reply());
      is.append(a.get(i).reply());
    }
    return Table.create("answers before and after", prompt, chosen, was, is);
  }

  /** Greedy answers to the sample, judged on their text. */
  private Side side(Map<String, Double> holdoutMetrics, LocalChatModel.Builder chat)
      throws IOException {
    LocalChatModel model = chat.build();
    EntityExtractor typed = EntityExtractor.jsonFields();
    List<LabelledExample> labelled = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      PreferencePair pair = sample.get(i);
      // The full (rejected) answer names every entity the compact one does, and the task taught it.
      labelled.add(
          LabelledExample.of("holdout-" + i, userText(pair), pair.rejected())
              .withEntitiesFromReference(typed));
    }
    EvalResult answers =
        GreedyAnswers.of(
            model, labelled, config.data().systemPrompt(), maxNewTokens, onAnswer,
            List.of(new CompactJson(), EntityOverlap.f1(typed)));
    return new Side(
        holdoutMetrics, answers, answers.value(model.name(), "preference_rate"),
        answers.value(model.name(), "entity_f1"));
  }

  /** The pair's last user turn: what the answers reply to. */
  private static String userText(PreferencePair pair) {
    List<ChatMessage> turns = pair.prompt();
    for (int i = turns.size() - 1; i >= 0; i--) {
      if (turns.get(i).role().equals("user")) {
        return turns.get(i).content();
      }
    }
    throw new IllegalArgumentException(pair.origin() + ": the prompt has no user turn to answer");
  }
}
