package org.tuninglab.lesson;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.data.Example;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.Split;
import org.tuninglab.eval.CorpusLoss;
import org.tuninglab.eval.EntityExtractor;
import org.tuninglab.eval.EntityOverlap;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExactMatch;
import org.tuninglab.eval.JsonValidity;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;
import org.tuninglab.train.TrainingCheckpoints;
import org.tuninglab.train.TrainingListener;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The lesson's before/after measurement of one fine-tuning run, in the order a notebook shows it:
 * the recipe's own split ({@link #split()}), the untuned model measured ({@link #before()}), the
 * run ({@link #train}), the tuned model measured on the same examples ({@link #after()}), and the
 * two side by side ({@link #table}). Each side is the task holdout's loss, greedy answers to the
 * first holdout examples scored by the evaluation harness (exact match, valid JSON, entity F1),
 * and, given a general text, that text's loss (forgetting).
 *
 * <p>The answers go through {@link LocalChatModel} and its {@code Generator} over the model exactly
 * as it trained: the base with its trained weights (full), with its adapter loaded from the run's
 * output (LoRA, QLoRA on its NF4 base) or behind its virtual tokens (prompt tuning).
 */
public final class BeforeAfter {
  /** Tokens per packed window of the general text (fewer when the model's context is shorter). */
  public static final int GENERAL_TEXT_WINDOW = 256;

  private final SftConfig config;
  private final PretrainedModel pretrained;
  private final Device device;
  private final Path generalText;
  private final int maxNewTokens;
  private final Split<Example> split;
  private final List<PromptCompletion> sample;
  private Measurement before;
  private SftResult result;
  private double seconds;
  private Measurement after;
  private long trainable;
  private BiConsumer<Integer, Integer> onAnswer = (done, total) -> {};

  private BeforeAfter(
      SftConfig config, PretrainedModel pretrained, int scored, int maxNewTokens, Path generalText)
      throws IOException {
    this.config = Objects.requireNonNull(config, "config");
    this.pretrained = Objects.requireNonNull(pretrained, "pretrained");
    this.device = pretrained.model().manager().getDevice();
    this.generalText = generalText;
    this.maxNewTokens = maxNewTokens;
    this.split = SftRecipe.split(config.data(), config.trainer().seed());
    List<PromptCompletion> holdout = promptCompletions(split.holdout(), config);
    this.sample = holdout.subList(0, Math.min(scored, holdout.size()));
  }

  /**
   * A comparison of one run on a loaded model.
   *
   * @param config the run; its output folder must not hold a checkpoint (the recipe would resume
   *     from it, and the comparison would score a finished run)
   * @param pretrained the model, loaded from the config's model; a full fine-tune trains it in
   *     place, and it is not closed by this
   * @param scored how many holdout examples to answer greedily before and after
   * @param maxNewTokens the answers' length limit
   * @param generalText a text file (documents separated by blank lines) whose loss before and
   *     after measures forgetting, or null to skip it
   * @return the comparison, nothing measured yet
   * @throws IOException if the data cannot be read
   * @throws IllegalArgumentException if the output folder holds a checkpoint
   */
  public static BeforeAfter of(
      SftConfig config, PretrainedModel pretrained, int scored, int maxNewTokens, Path generalText)
      throws IOException {
    requireFreshOutput(config.trainer().outputDir());
    return new BeforeAfter(config, pretrained, scored, maxNewTokens, generalText);
  }

  /** Refuses an output folder holding a checkpoint: the recipe would resume a finished run. */
  static void requireFreshOutput(Path out) throws IOException {
    if (out != null) {
      Optional<Path> earlier = new TrainingCheckpoints(out).latest();
      if (earlier.isPresent()) {
        throw new IllegalArgumentException(
            "output_dir " + out + " holds a checkpoint of an earlier run ("
                + earlier.get().getFileName() + "); a comparison trains from scratch, so remove"
                + " that folder or set another output_dir");
      }
    }
  }

  /**
   * Follows the greedy answers of {@link #before()} and {@link #after()}, the slow part of a
   * measurement (a notebook's progress view).
   *
   * @param listener called after each answer with the answers done and the sample's size
   * @return this
   */
  public BeforeAfter onAnswer(BiConsumer<Integer, Integer> listener) {
    onAnswer = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The recipe's split: the holdout every measurement uses. */
  public Split<Example> split() {
    return split;
  }

  /**
   * Measures the untuned model.
   *
   * @return the measurement
   * @throws IOException if the general text cannot be read
   */
  public Measurement before() throws IOException {
    ForwardPass base = ForwardPass.of(pretrained.model());
    SftCollator collator = SftRecipe.collator(config.data(), pretrained);
    double taskLoss =
        HoldoutLoss.compute(
                base,
                collator.batches(collator.encodeAll(split.holdout()), config.trainer().batchSize()),
                pretrained.model().manager())
            .mean();
    before = measure("before", pretrained, base, taskLoss, sample, generalText);
    return before;
  }

  /**
   * Runs the recipe on the loaded model.
   *
   * @param listeners see the training's progress (a notebook's live view)
   * @return what the run did
   * @throws IOException if the data or an output cannot be read or written
   */
  public SftResult train(TrainingListener... listeners) throws IOException {
    long start = System.nanoTime();
    result = SftRecipe.run(config, pretrained, listeners);
    seconds = (System.nanoTime() - start) / 1e9;
    return result;
  }

  /**
   * Measures the tuned model on the same examples: the trained weights in place (full), or the
   * saved adapter on a fresh copy of the base.
   *
   * @return the measurement
   * @throws IOException if the model or the adapter cannot be read
   * @throws IllegalStateException before {@link #train}
   */
  public Measurement after() throws IOException {
    after = tuned(sample, generalText);
    return after;
  }

  /**
   * Measures the tuned model's answers on other examples than the run's holdout, e.g. a domain it
   * never trained on (out-of-distribution): the same greedy answers and scores as {@link #after()}.
   *
   * @param examples prompt/completion pairs whose completions are the reference JSON
   * @return the answers' scores
   * @throws IOException if the model or the adapter cannot be read
   * @throws IllegalStateException before {@link #train}
   */
  public ExtractionScore afterOn(List<PromptCompletion> examples) throws IOException {
    return tuned(List.copyOf(examples), null).score();
  }

  /** The tuned model measured: the trained weights in place (full), or the adapter on a fresh base. */
  private Measurement tuned(List<PromptCompletion> examples, Path general) throws IOException {
    if (result == null) {
      throw new IllegalStateException("train() the run before measuring after it");
    }
    List<EvalReport> evals = result.training().evaluations();
    double taskLoss = evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).loss();
    if (!config.method().savesAdapter()) {
      trainable = pretrained.model().config().parameterCount();
      return measure(
          "after", pretrained, ForwardPass.of(pretrained.model()), taskLoss, examples, general);
    }
    if (result.adapter() == null) {
      throw new IllegalStateException(
          "the run saved no adapter (save_final_model off, no output_dir, or a diverged run): "
              + result.training().message());
    }
    try (PretrainedModel fresh =
            LanguageModel.loadPretrained(config.model(), device, config.precision().dataType());
        AdaptedModel adapted = config.method().loadAdapter(result.adapter(), fresh.model())) {
      trainable = adapted.trainableArrays().stream().mapToLong(a -> a.array().size()).sum();
      return measure("after", fresh, adapted, taskLoss, examples, general);
    }
  }

  /**
   * Before and after side by side: the task holdout loss, the answer metrics and the general
   * text's loss.
   *
   * @param title the table's name
   * @return the table
   * @throws IllegalStateException before {@link #after()}
   */
  public Table table(String title) {
    Measurement b = measured(before, "before()");
    Measurement a = measured(after, "after()");
    return Table.create(
        title,
        StringColumn.create("model", "before", "after"),
        DoubleColumn.create("task holdout loss", b.taskLoss(), a.taskLoss()),
        DoubleColumn.create("exact_match", b.score().exactMatch(), a.score().exactMatch()),
        DoubleColumn.create("json_valid", b.score().validJson(), a.score().validJson()),
        DoubleColumn.create("entity_f1", b.score().entityF1(), a.score().entityF1()),
        DoubleColumn.create("story holdout loss", b.generalLoss(), a.generalLoss()));
  }

  /**
   * The comparison as one row of a methods table.
   *
   * @param name the row's config name
   * @return the row
   * @throws IllegalStateException before {@link #after()}
   */
  public FinetuneComparison.Row row(String name) {
    Measurement b = measured(before, "before()");
    Measurement a = measured(after, "after()");
    return new FinetuneComparison.Row(
        name, config.method().name(), trainable, seconds, b.taskLoss(), a.taskLoss(), b.score(),
        a.score(), b.generalLoss(), a.generalLoss());
  }

  /** A side of a comparison, or a clear error naming the step not yet taken. */
  static <T> T measured(T m, String step) {
    if (m == null) {
      throw new IllegalStateException("call " + step + " first");
    }
    return m;
  }

  private Measurement measure(
      String name, PretrainedModel model, ForwardPass forward, double taskLoss,
      List<PromptCompletion> examples, Path general) throws IOException {
    LocalChatModel.Builder chat = LocalChatModel.builder().setModel(model).optName(name);
    if (forward instanceof AdaptedModel adapted) {
      chat.optAdaptedModel(adapted);
    }
    EvalResult answers = answers(chat.build(), examples);
    ExtractionScore score =
        new ExtractionScore(
            examples.size(), answers.value(name, "exact_match"), answers.value(name, "json_valid"),
            answers.value(name, "entity_f1"));
    double generalLoss = Double.NaN;
    if (general != null) {
      int window = Math.min(GENERAL_TEXT_WINDOW, model.model().config().maxPositions());
      generalLoss = CorpusLoss.compute(model, forward, general, window).mean();
    }
    return new Measurement(taskLoss, answers, score, generalLoss);
  }

  /**
   * Greedy answers to the sample, scored by the evaluation harness: exact match (normalised),
   * valid JSON, and F1 over typed entities ({@code people: Anna}) read from the answer's and the
   * reference's JSON.
   */
  private EvalResult answers(LocalChatModel chat, List<PromptCompletion> examples) {
    EntityExtractor typed = EntityExtractor.jsonFields();
    List<LabelledExample> labelled = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      PromptCompletion pc = examples.get(i);
      labelled.add(
          LabelledExample.of("holdout-" + i, pc.prompt(), pc.completion())
              .withEntitiesFromReference(typed));
    }
    return GreedyAnswers.of(
        chat, labelled, config.data().systemPrompt(), maxNewTokens, onAnswer,
        List.of(ExactMatch.normalized(), JsonValidity.any(), EntityOverlap.f1(typed)));
  }

  /** The holdout as prompt/completion pairs, which the answer metrics need. */
  private static List<PromptCompletion> promptCompletions(List<Example> held, SftConfig config)
      throws DatasetFormatException {
    List<PromptCompletion> out = new ArrayList<>();
    for (Example e : held) {
      if (!(e instanceof PromptCompletion pc)) {
        throw new DatasetFormatException(
            config.data().trainFile(), 1, "(file)",
            "this comparison scores prompt/completion examples; " + e.origin()
                + " is a conversation");
      }
      out.add(pc);
    }
    return out;
  }
}
