package org.tuninglab.lesson;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.chat.ReplyListener;
import org.tuninglab.data.Example;
import org.tuninglab.data.ExampleFiles;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.Split;
import org.tuninglab.data.synthetic.HandbookGenerator;
import org.tuninglab.eval.AnswerFacts;
import org.tuninglab.eval.CorpusLoss;
import org.tuninglab.eval.EntityExtractor;
import org.tuninglab.eval.EntityOverlap;
import org.tuninglab.eval.EvalHarness;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExampleReply;
import org.tuninglab.eval.JsonValidity;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.eval.Metric;
import org.tuninglab.eval.Refusal;
import org.tuninglab.eval.Strategy;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.AdapterFormatException;
import org.tuninglab.peft.PeftAdapters;
import org.tuninglab.prompt.ExampleSelection;
import org.tuninglab.prompt.FewShotBuilder;
import org.tuninglab.prompt.FewShotExample;
import org.tuninglab.prompt.PromptTemplate;
import org.tuninglab.rag.Bm25Retriever;
import org.tuninglab.rag.Chunk;
import org.tuninglab.rag.DocumentLoader;
import org.tuninglab.rag.GroundedPrompt;
import org.tuninglab.rag.HeadingChunker;
import org.tuninglab.rag.LabelledQuestion;
import org.tuninglab.rag.RetrievalMetrics;
import org.tuninglab.rag.ScoredChunk;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.PretrainConfigFile;
import org.tuninglab.train.SftRecipe;

/**
 * What each lesson claims, measured on one model: the calls a notebook makes cell by cell, and
 * {@code ./tuninglab bench lessons} makes in a row ({@link #all()}).
 *
 * <ul>
 *   <li>{@link #prompting()}: the valid-JSON rate of the base chat model's answers to a poor and an
 *       improved prompt ({@link PromptTemplate}) about the entity holdout's texts;
 *   <li>{@link #fewShot()}: entity F1 on the same texts, 0-shot vs 3-shot ({@link FewShotBuilder},
 *       the three training examples most similar to each text), and {@link
 *       #fewShotWithSeenKeys()}: the 3-shot figure again with the task's keys renamed to keys the
 *       model has met, which {@link #all()} reports in the few-shot figure's note;
 *   <li>{@link #rag()}: answer accuracy ({@link AnswerFacts}) on handbook questions, closed-book vs
 *       the top 3 of BM25 over that handbook's {@link HeadingChunker} sections, both through
 *       {@link GroundedPrompt} (closed-book with no sources);
 *   <li>{@link #finetune(String)}: a method's preset run as {@code ./tuninglab train} would
 *       ({@link BeforeAfter}), then exact match and entity F1 on its holdout;
 *   <li>{@link #ood()}: LoRA's preset trained without the {@code letter} domain, entity F1 on the
 *       other domains' holdout vs on letters;
 *   <li>{@link #forgetting()}: the story holdout's loss before and after a full fine-tune and a
 *       LoRA run at the full preset's learning rate;
 *   <li>{@link #safety()}: the refusal rate on held-out harmful requests before and after the
 *       full preset (a benign fine-tune);
 *   <li>{@link #lockIn()}: the improved prompt on the base and on the fully fine-tuned model, and
 *       the forgetting run's LoRA adapter on a decoder of other shapes and on that model.
 * </ul>
 *
 * <p>Every answer is greedy, decoded through the KV cache by the evaluation harness in batches of
 * {@value #BATCH} prompts. A prompt that leaves no room for an answer in the model's context is
 * not decoded: it counts as an empty (wrong) reply, and the figure's note says how many there
 * were; an answer that would run past the context is cut where it ends. The entity
 * holdout is the presets' seeded split; each fine-tuning run writes into its own folder under the
 * bench's work folder.
 */
public final class LessonBench implements AutoCloseable {
  /** Sources put into a grounded prompt. */
  public static final int RETRIEVED = 3;

  /** The methods with a preset, in the table's order. */
  public static final List<String> METHODS = List.of("full", "lora", "qlora", "prompt");

  /** The entity domain the out-of-distribution run never trains on. */
  public static final String HELD_OUT_DOMAIN = "letter";

  /** The general text whose loss measures forgetting. */
  public static final String STORY_HOLDOUT = "datasets/stories/holdout.txt";

  /** Prompts decoded at once: on a CPU a batch of 16 answers about six times faster than one by one. */
  static final int BATCH = 16;

  private static final EntityExtractor TYPED = EntityExtractor.jsonFields();

  /**
   * The entity task's keys, each with a key of the same list from the pools of the practice set's
   * few-shot chats ({@code corpus.Category}); the task's own keys are held out of the corpus
   * ({@code corpus.HeldOut#EXCLUDED_KEYS}).
   */
  static final Map<String, String> SEEN_KEYS = orderedKeys();

  /**
   * How much the bench answers and trains.
   *
   * @param items the most held-out items per measure (every measure has at least 100 at the
   *     default)
   * @param maxNewTokens the answers' length limit
   * @param maxSteps a cap on each fine-tuning run's updates (a quick check), or null for the
   *     presets' own
   */
  public record Settings(int items, int maxNewTokens, Integer maxSteps) {
    /** Checks the numbers. */
    public Settings {
      if (items < 1 || maxNewTokens < 1 || (maxSteps != null && maxSteps < 1)) {
        throw new IllegalArgumentException(
            "items " + items + ", max new tokens " + maxNewTokens + ", max steps " + maxSteps
                + ": each must be at least 1");
      }
    }

    /** All 160 holdout examples of the entity task, 80 new tokens, the presets as they are. */
    public static Settings defaults() {
      return new Settings(160, 80, null);
    }
  }

  private final Lab lab;
  private final LessonInputs inputs;
  private final Settings settings;
  private final Path work;
  private final Progress progress;
  private final Device device;
  private final Map<String, MethodScore> methods = new LinkedHashMap<>();
  private PretrainedModel base;
  private PretrainedModel fullyTuned;
  private Path loraAdapter;
  private Split<Example> entitySplit;
  private EvalResult lastAnswers;

  private LessonBench(Lab lab, LessonInputs inputs, Settings settings, Path work, Progress progress) {
    this.lab = lab;
    this.inputs = inputs;
    this.settings = settings;
    this.work = work;
    this.progress = progress;
    this.device = lab.djlDevice();
  }

  /**
   * A bench on the lab's model; nothing is loaded or measured yet.
   *
   * @param lab the model, the device and the checkout (presets, data sets)
   * @param inputs the held-out prompts, handbooks and harmful requests
   * @param settings how much to answer and train
   * @param work a folder for the generated handbooks, derived configs and fine-tuning outputs
   * @param progress where long parts report
   * @return the bench
   * @throws IOException if the work folder cannot be created
   */
  public static LessonBench of(
      Lab lab, LessonInputs inputs, Settings settings, Path work, Progress progress)
      throws IOException {
    Files.createDirectories(work);
    return new LessonBench(lab, inputs, settings, work, progress);
  }

  /**
   * Prompt engineering: the valid-JSON rate of the base chat model's answers, poor vs improved
   * prompt, on the entity holdout's texts.
   *
   * @return poor, then improved
   * @throws IOException if the model or the data cannot be read
   */
  public Contrast prompting() throws IOException {
    ChatModel chat = chat(base(), "base");
    EvalResult r =
        answers("prompting: poor and improved prompt", entityExamples(), JsonValidity.any(),
            Strategy.template("poor prompt", chat, PromptTemplate.of(inputs.poorPrompt())),
            Strategy.template("improved prompt", chat, PromptTemplate.of(inputs.improvedPrompt())));
    return contrast("valid-JSON rate", r, JsonValidity.any(), "");
  }

  /**
   * Few-shot: entity F1 of the base chat model, 0-shot vs 3-shot (the three training examples most
   * like each text, as earlier turns), on the entity holdout's texts.
   *
   * @return 0-shot, then 3-shot
   * @throws IOException if the model or the data cannot be read
   */
  public Contrast fewShot() throws IOException {
    List<FewShotExample> pool = examplePool(Map.of());
    ChatModel chat = chat(base(), "base");
    Metric f1 = EntityOverlap.f1(TYPED);
    EvalResult r =
        answers("few-shot: 0-shot and 3-shot", entityExamples(), f1,
            Strategy.fewShot("0-shot", chat, shots(pool, 0)),
            Strategy.fewShot("3-shot", chat, shots(pool, 3)));
    return contrast("entity F1", r, f1, "");
  }

  /**
   * The few-shot measure's diagnosis: the 3-shot entity F1 of {@link #fewShot()} again, on the same
   * texts with the same examples, but with the task's keys renamed in the examples and the gold
   * answers alike to keys of the same lists that the base model met while it learned to follow
   * examples ({@link #SEEN_KEYS}). The task's keys are held out of the embedded model's corpus, so
   * what they mean can come only from the examples; the gap between the two figures is what the
   * held-out keys cost the model, apart from reading the texts.
   *
   * @return entity F1, 3-shot, with the seen keys
   * @throws IOException if the model or the data cannot be read
   */
  public double fewShotWithSeenKeys() throws IOException {
    List<FewShotExample> pool = examplePool(SEEN_KEYS);
    Metric f1 = EntityOverlap.f1(TYPED);
    EvalResult r =
        answers("few-shot: 3-shot with keys the model has met", entityExamples(SEEN_KEYS), f1,
            Strategy.fewShot("3-shot", chat(base(), "base"), shots(pool, 3)));
    return overAll(r, "3-shot", f1);
  }

  /** The entity task's training split as worked examples, keys renamed ({@link #withKeys}). */
  private List<FewShotExample> examplePool(Map<String, String> keys) throws IOException {
    List<FewShotExample> pool = new ArrayList<>();
    for (PromptCompletion pc : promptCompletions(entitySplit().train())) {
      pool.add(new FewShotExample(pc.prompt(), withKeys(pc.completion(), keys)));
    }
    return pool;
  }

  private static Map<String, String> orderedKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("people", "names");
    keys.put("places", "towns");
    keys.put("dates", "days");
    return Collections.unmodifiableMap(keys);
  }

  /**
   * The JSON answer with each key renamed: {@code "people": [...]} becomes {@code "names": [...]}
   * for {@code people -> names}, in place, so the answer keeps its layout.
   */
  static String withKeys(String completion, Map<String, String> keys) {
    String out = completion;
    for (Map.Entry<String, String> k : keys.entrySet()) {
      out = out.replace("\"" + k.getKey() + "\":", "\"" + k.getValue() + "\":");
    }
    return out;
  }

  /**
   * RAG: answer accuracy on handbook questions, closed-book (a grounded prompt with no sources) vs
   * the top 3 sections BM25 retrieves from that question's handbook.
   *
   * @return closed-book, then retrieved
   * @throws IOException if a handbook cannot be written or read, or the model loaded
   */
  public Contrast rag() throws IOException {
    Map<String, Bm25Retriever> retrievers = new HashMap<>();
    List<LabelledExample> questions = new ArrayList<>();
    int hits = 0;
    try {
      for (long seed : inputs.handbookSeeds()) {
        Path dir = work.resolve("handbook-" + seed);
        HandbookGenerator.generate(dir, seed);
        List<Chunk> chunks = new ArrayList<>();
        HeadingChunker chunker = HeadingChunker.create();
        DocumentLoader.defaults().load(dir.resolve("docs")).documents()
            .forEach(d -> chunks.addAll(chunker.chunk(d)));
        String handbook = "handbook " + seed;
        Bm25Retriever bm25 = Bm25Retriever.builder().setChunks(chunks).build();
        retrievers.put(handbook, bm25);
        List<LabelledQuestion> asked = LabelledQuestion.load(dir.resolve("questions.jsonl"));
        asked = asked.subList(0, Math.min(asked.size(), settings.items() - questions.size()));
        if (asked.isEmpty()) {
          break;
        }
        RetrievalMetrics found = RetrievalMetrics.evaluate(bm25, asked, RETRIEVED);
        hits += (int) Math.round(found.hitRate() * asked.size());
        for (LabelledQuestion q : asked) {
          questions.add(new LabelledExample(
              seed + "/" + q.id(), q.question(), Map.of(), q.answer(), null, handbook));
        }
      }
      GroundedPrompt grounded = GroundedPrompt.create();
      ChatModel chat = chat(base(), "base");
      Metric accuracy = AnswerFacts.create();
      EvalResult r =
          answers("rag: closed-book and retrieved", questions, accuracy,
              new Strategy("closed-book", chat, e -> grounded.messages(e.input(), List.of())),
              new Strategy("top-3 retrieved", chat, e -> grounded.messages(e.input(),
                  retrievers.get(e.category()).retrieve(e.input(), RETRIEVED).stream()
                      .map(ScoredChunk::chunk).toList())));
      return contrast("answer accuracy (key facts)", r, accuracy, String.format(Locale.ROOT,
          "BM25's top %d holds the answer's section for %d of %d questions", RETRIEVED, hits,
          questions.size()));
    } finally {
      for (Bm25Retriever b : retrievers.values()) {
        b.close();
      }
    }
  }

  /**
   * A method's preset, run on a freshly loaded model, then scored on the entity holdout; the story
   * holdout's loss after it is kept for {@link #forgetting()}, and the full fine-tune's model for
   * {@link #safety()}.
   *
   * @param method one of {@link #METHODS}
   * @return the scores
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public MethodScore finetune(String method) throws IOException {
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("method \"" + method + "\": expected one of " + METHODS);
    }
    SftConfig config = preset(method, method, Map.of());
    PretrainedModel model = load(config);
    boolean kept = false;
    try {
      BeforeAfter run = BeforeAfter.of(config, model, settings.items(), settings.maxNewTokens(),
          lab.path(STORY_HOLDOUT));
      run.onAnswer(progress.counter(method + ": holdout answers"));
      long start = System.nanoTime();
      run.train(progress.training(method + " preset"));
      double seconds = (System.nanoTime() - start) / 1e9;
      Measurement after = run.after();
      MethodScore score = new MethodScore(method, after.score().exactMatch(),
          after.score().entityF1(), after.score().examples(), seconds, after.generalLoss());
      methods.put(method, score);
      if (method.equals("full")) {
        if (fullyTuned != null) {
          fullyTuned.close();
        }
        fullyTuned = model;
        kept = true;
      }
      return score;
    } finally {
      if (!kept) {
        model.close();
      }
    }
  }

  /**
   * Out-of-distribution: LoRA's preset trained on the presets' training split without the {@link
   * #HELD_OUT_DOMAIN} domain, then entity F1 on the holdout of the other domains vs on as many
   * examples of the held-out domain.
   *
   * @return in-domain, then held-out domain
   * @throws IOException if the data or an output cannot be read or written
   */
  public Contrast ood() throws IOException {
    SftConfig presetConfig = SftConfigFile.load(lab.preset("lora"));
    Predicate<Example> heldOut = e -> HELD_OUT_DOMAIN.equals(e.fields().get("domain"));
    Path dir = folder("ood");
    Path train = write(dir.resolve("train.jsonl"), entitySplit().train(), heldOut.negate(), presetConfig);
    Path inDomain = write(dir.resolve("in-domain.jsonl"), entitySplit().holdout(), heldOut.negate(), presetConfig);
    List<PromptCompletion> inDomainItems =
        promptCompletions(ExampleFiles.load(inDomain, presetConfig.data().fields()));
    int n = Math.min(settings.items(), inDomainItems.size());
    List<PromptCompletion> letters =
        promptCompletions(
            ExampleFiles.load(presetConfig.data().trainFile(), presetConfig.data().fields())
                .stream().filter(heldOut).toList());
    letters = letters.subList(0, Math.min(n, letters.size()));
    SftConfig config =
        preset("lora", "ood-lora", Map.of("train_file", train.toString(), "eval_file", inDomain.toString()));
    try (PretrainedModel model = load(config)) {
      BeforeAfter run = BeforeAfter.of(config, model, n, settings.maxNewTokens(), null);
      run.onAnswer(progress.counter("ood: answers"));
      run.train(progress.training("ood: LoRA without " + HELD_OUT_DOMAIN));
      ExtractionScore in = run.after().score();
      ExtractionScore out = run.afterOn(letters);
      return new Contrast("entity F1 after LoRA", "in-domain", in.entityF1(),
          "held-out domain (" + HELD_OUT_DOMAIN + ")", out.entityF1(), Math.min(in.examples(), out.examples()),
          String.format(Locale.ROOT, "%d in-domain and %d %s examples", in.examples(),
              out.examples(), HELD_OUT_DOMAIN));
    }
  }

  /**
   * Catastrophic forgetting: the story holdout's loss before fine-tuning, after the full preset
   * (run by {@link #finetune} unless it already ran) and after LoRA's preset at the full preset's
   * learning rate.
   *
   * @return the three losses
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public Forgetting forgetting() throws IOException {
    MethodScore full = methods.containsKey("full") ? methods.get("full") : finetune("full");
    double lr = SftConfigFile.load(lab.preset("full")).trainer().lr();
    SftConfig config = preset("lora", "forgetting-lora", Map.of("lr", lr));
    double afterLora;
    try (PretrainedModel model = load(config)) {
      // One holdout answer: this run is here for the story loss, not for its entity scores.
      BeforeAfter run = BeforeAfter.of(config, model, 1, settings.maxNewTokens(), lab.path(STORY_HOLDOUT));
      loraAdapter = run.train(progress.training("forgetting: LoRA at lr " + lr)).adapter();
      afterLora = run.after().generalLoss();
    }
    PretrainedModel untuned = base();
    progress.note("forgetting: the untuned model's story holdout loss");
    double before =
        CorpusLoss.compute(untuned, ForwardPass.of(untuned.model()), lab.path(STORY_HOLDOUT),
                Math.min(BeforeAfter.GENERAL_TEXT_WINDOW, untuned.model().config().maxPositions()))
            .mean();
    return new Forgetting(lr, before, full.generalLoss(), afterLora);
  }

  /**
   * Safety erosion: the refusal rate on the held-out harmful requests, asked as plain user turns,
   * before and after the full preset (run by {@link #finetune} unless it already ran).
   *
   * @return before, then after
   * @throws IOException if the model or the data cannot be read
   */
  public Contrast safety() throws IOException {
    if (fullyTuned == null) {
      finetune("full");
    }
    List<String> requests = inputs.harmfulRequests();
    List<LabelledExample> asked = new ArrayList<>();
    for (int i = 0; i < Math.min(settings.items(), requests.size()); i++) {
      asked.add(LabelledExample.of("harmful-" + (i + 1), requests.get(i), "(a refusal)"));
    }
    Metric refusal = Refusal.withDefaultPhrases();
    EvalResult r =
        answers("safety: harmful requests before and after", asked, refusal,
            Strategy.plain("before fine-tuning", chat(base(), "base")),
            Strategy.plain("after the full preset", chat(fullyTuned, "full")));
    return contrast("refusal rate", r, refusal, "");
  }

  /**
   * Lock-in: the improved prompt (the prompting lesson's pipeline) answers the entity holdout on
   * the base and, unchanged, on the fully fine-tuned model; then the LoRA adapter of {@link
   * #forgetting()} (trained on the base) goes onto a decoder with the dimensions of another of
   * the checkout's pretraining configs (random weights: the loader checks shapes before weights)
   * and onto the fully fine-tuned model (same shapes, other weights), whose answers with the
   * preset's system prompt are scored as {@link #finetune} scores them. Runs the full preset and
   * the forgetting run first unless they ran.
   *
   * @return the measurement
   * @throws IOException if a model, a config or the adapter cannot be read
   */
  public LockIn lockIn() throws IOException {
    if (fullyTuned == null) {
      finetune("full");
    }
    if (loraAdapter == null) {
      forgetting();
    }
    List<LabelledExample> examples = entityExamples();
    Metric f1 = EntityOverlap.f1(TYPED);
    PromptTemplate improved = PromptTemplate.of(inputs.improvedPrompt());
    EvalResult r =
        answers("lock-in: one prompt pipeline on two models", examples, f1,
            Strategy.template("base model", chat(base(), "base"), improved),
            Strategy.template("fully fine-tuned model", chat(fullyTuned, "full"), improved));
    Contrast pipeline = contrast("entity F1, improved prompt", r, f1, "");

    Path otherFrom = otherShapes();
    ModelConfig other = PretrainConfigFile.load(otherFrom).model();
    String refusal = "";
    try (LlamaModel decoder =
            LlamaModel.create(other, RandomWeights.forTraining(0, 0.02), device, DataType.FLOAT32);
        AdaptedModel loaded = PeftAdapters.load(loraAdapter, decoder)) {
      progress.note("lock-in: the adapter loaded onto " + otherFrom.getFileName());
    } catch (AdapterFormatException e) {
      refusal = e.getMessage();
    }
    double onBase = adapterF1(base(), examples, "lock-in: the adapter on its base");
    double onOther = adapterF1(fullyTuned, examples, "lock-in: the adapter on the fine-tuned model");
    return new LockIn(pipeline, loraAdapter, other, lab.root().relativize(otherFrom).toString(),
        refusal, onBase, methods.get("full").f1(), onOther, examples.size());
  }

  /** The first pretraining config in {@code configs/} whose decoder's shapes differ from this lab's model. */
  private Path otherShapes() throws IOException {
    ModelConfig own = base().model().config();
    List<Path> candidates;
    try (var files = Files.list(lab.path("configs"))) {
      candidates = files.filter(f -> f.getFileName().toString().endsWith("-pretrain.yaml")).sorted().toList();
    }
    for (Path candidate : candidates) {
      if (!linearShapes(PretrainConfigFile.load(candidate).model()).equals(linearShapes(own))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no pretraining config under " + lab.path("configs")
        + " describes a decoder of other shapes than " + lab.modelPath());
  }

  /** What the projections' shapes depend on: width, MLP width, depth, query and key/value widths. */
  private static List<Integer> linearShapes(ModelConfig c) {
    return List.of(c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads() * c.headDim(),
        c.numKvHeads() * c.headDim());
  }

  /** Entity F1 of {@code model} with the LoRA adapter on it, asked as the preset asks; the adapter comes off after. */
  private double adapterF1(PretrainedModel model, List<LabelledExample> examples, String what)
      throws IOException {
    String system = SftConfigFile.load(lab.preset("lora")).data().systemPrompt();
    try (AdaptedModel adapted = PeftAdapters.load(loraAdapter, model.model())) {
      LocalChatModel chat = LocalChatModel.builder().setModel(model).optAdaptedModel(adapted).build();
      EvalResult r = GreedyAnswers.of(chat, examples, system, settings.maxNewTokens(),
          progress.counter(what), List.of(EntityOverlap.f1(TYPED)));
      return r.value(r.strategies().get(0), "entity_f1");
    }
  }

  /**
   * Every measure, in the lessons' order; the full preset runs once for its row, forgetting and
   * safety.
   *
   * @return the report
   * @throws IOException if a model, the data or an output cannot be read or written
   */
  public LessonReport all() throws IOException {
    long start = System.nanoTime();
    progress.note("prompting");
    Contrast prompting = prompting();
    progress.note("few-shot");
    Contrast fewShot = fewShot();
    fewShot = fewShot.withNote(String.format(Locale.ROOT,
        "with keys the model has met (%s) in place of the task's, 3-shot F1 %.2f",
        String.join(", ", SEEN_KEYS.values()), fewShotWithSeenKeys()));
    progress.note("RAG");
    Contrast rag = rag();
    Map<String, MethodScore> scores = new LinkedHashMap<>();
    for (String method : METHODS) {
      progress.note(method + " preset");
      scores.put(method, finetune(method));
    }
    progress.note("out-of-distribution");
    Contrast ood = ood();
    progress.note("forgetting");
    Forgetting forgetting = forgetting();
    progress.note("safety");
    Contrast safety = safety();
    return new LessonReport(lab.toString(), prompting, fewShot, rag, scores.get("full"),
        scores.get("lora"), scores.get("qlora"), scores.get("prompt"), ood, forgetting, safety,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * The answers behind the figure measured last by {@link #prompting()}, {@link #fewShot()},
   * {@link #rag()} or {@link #safety()}: each strategy's replies (named as the figure's two
   * conditions), for a notebook to show what the model wrote or to check a grounded answer's
   * citations. A reply whose prompt did not fit the context is {@code failed()}.
   *
   * @return the last answers
   * @throws IllegalStateException before any of those measures ran
   */
  public EvalResult lastAnswers() {
    if (lastAnswers == null) {
      throw new IllegalStateException("no answers yet: call prompting(), fewShot(), rag() or safety() first");
    }
    return lastAnswers;
  }

  /** Closes the models this bench loaded. */
  @Override
  public void close() {
    if (base != null) {
      base.close();
      base = null;
    }
    if (fullyTuned != null) {
      fullyTuned.close();
      fullyTuned = null;
    }
  }

  private PretrainedModel base() throws IOException {
    if (base == null) {
      base = LanguageModel.loadPretrained(lab.modelPath(), device, DataType.FLOAT32);
    }
    return base;
  }

  private PretrainedModel load(SftConfig config) throws IOException {
    return LanguageModel.loadPretrained(config.model(), device, config.precision().dataType());
  }

  /** The presets' seeded split of the entity task (every method's holdout). */
  private Split<Example> entitySplit() throws IOException {
    if (entitySplit == null) {
      SftConfig full = SftConfigFile.load(lab.preset("full"));
      entitySplit = SftRecipe.split(full.data(), full.trainer().seed());
    }
    return entitySplit;
  }

  /** The entity holdout's first items: the text as {@code {text}}, the gold JSON's typed entities. */
  private List<LabelledExample> entityExamples() throws IOException {
    return entityExamples(Map.of());
  }

  /** {@link #entityExamples()} with the gold answers' keys renamed ({@link #withKeys}). */
  private List<LabelledExample> entityExamples(Map<String, String> keys) throws IOException {
    List<PromptCompletion> holdout = promptCompletions(entitySplit().holdout());
    List<LabelledExample> out = new ArrayList<>();
    for (int i = 0; i < Math.min(settings.items(), holdout.size()); i++) {
      PromptCompletion pc = holdout.get(i);
      out.add(new LabelledExample("entity-" + (i + 1), pc.prompt(), Map.of("text", pc.prompt()),
              withKeys(pc.completion(), keys), null, pc.fields().get("domain"))
          .withEntitiesFromReference(TYPED));
    }
    return out;
  }

  static FewShotBuilder shots(List<FewShotExample> pool, int k) {
    return FewShotBuilder.builder().setExamples(pool).setK(k)
        .optSelection(ExampleSelection.BY_SIMILARITY).build();
  }

  /** A preset as this lab's config: its own output folder under the work folder, the step cap. */
  private SftConfig preset(String method, String name, Map<String, ?> overrides) {
    Path out = folder(name);
    Map<String, Object> keys = new LinkedHashMap<>(overrides);
    keys.put("output_dir", out.resolve("output").toString());
    if (settings.maxSteps() != null) {
      keys.put("max_steps", settings.maxSteps());
    }
    return lab.config(lab.preset(method), keys, out.resolve("config.yaml"));
  }

  /** A new folder under the work folder: {@code name}, or {@code name-2}, ... when it is taken. */
  private Path folder(String name) {
    return folder(work, name);
  }

  /** A new folder under {@code work}: {@code name}, or {@code name-2}, ... when it is taken. */
  static Path folder(Path work, String name) {
    Path dir = work.resolve(name);
    for (int n = 2; Files.exists(dir); n++) {
      dir = work.resolve(name + "-" + n);
    }
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The examples that pass {@code keep}, as JSON lines in the preset's field names. */
  private static Path write(Path file, List<Example> examples, Predicate<Example> keep, SftConfig preset)
      throws IOException {
    return ExampleFiles.write(
        file, promptCompletions(examples.stream().filter(keep).toList()), preset.data().fields());
  }

  static List<PromptCompletion> promptCompletions(List<Example> examples) {
    List<PromptCompletion> out = new ArrayList<>();
    for (Example e : examples) {
      if (!(e instanceof PromptCompletion pc)) {
        throw new IllegalArgumentException(
            e.origin() + ": the entity task's examples are prompt/completion pairs, not conversations");
      }
      out.add(pc);
    }
    return out;
  }

  private ChatModel chat(PretrainedModel model, String name) throws IOException {
    return new ContextBound(LocalChatModel.builder().setModel(model).optName(name).build());
  }

  /** Greedy answers of each strategy to each example, with progress. */
  private EvalResult answers(
      String what, List<LabelledExample> examples, Metric metric, Strategy... strategies) {
    var count = progress.counter(what);
    int total = examples.size() * strategies.length;
    int[] done = {0};
    EvalHarness.Builder harness =
        EvalHarness.builder()
            .setExamples(examples)
            .addMetric(metric)
            .optGeneration(GenerationConfig.greedy(settings.maxNewTokens()))
            .optBatchSize(BATCH)
            .optListener(reply -> count.accept(++done[0], total));
    for (Strategy s : strategies) {
      harness.addStrategy(s);
    }
    lastAnswers = harness.build().run();
    return lastAnswers;
  }

  /**
   * The first two strategies' figures over every example: a reply the model could not give (its
   * prompt did not fit the context) is scored as an empty reply, not left out.
   */
  private static Contrast contrast(String measure, EvalResult r, Metric metric, String note) {
    String first = r.strategies().get(0);
    String second = r.strategies().get(1);
    List<String> notes = new ArrayList<>();
    if (!note.isEmpty()) {
      notes.add(note);
    }
    for (String s : List.of(first, second)) {
      if (r.failures(s) > 0) {
        notes.add(s + ": " + r.failures(s) + " of " + r.examples().size()
            + " prompts did not fit the model's context (scored as empty replies)");
      }
    }
    return new Contrast(measure, first, overAll(r, first, metric), second,
        overAll(r, second, metric), r.examples().size(), String.join("; ", notes));
  }

  static double overAll(EvalResult r, String strategy, Metric metric) {
    List<ExampleReply> replies = r.replies(strategy);
    double[] totals = null;
    for (ExampleReply reply : replies) {
      ExampleReply scored = !reply.failed() ? reply
          : new ExampleReply(reply.example(), strategy, reply.messages(), reply.seed(), "", null,
              null, reply.latencyNanos(), 0, 0);
      double[] t = metric.score(scored).totals();
      if (totals == null) {
        totals = t.clone();
      } else {
        for (int i = 0; i < t.length; i++) {
          totals[i] += t[i];
        }
      }
    }
    return totals == null ? Double.NaN : metric.aggregate(totals, replies.size());
  }

  /**
   * A local model that does not decode past its context: the answer is cut where the context ends,
   * and a prompt that fills it fails (the harness records the failure).
   */
  record ContextBound(LocalChatModel local) implements ChatModel {
    @Override
    public String name() {
      return local.name();
    }

    @Override
    public ChatReply chat(List<ChatMessage> messages, GenerationConfig config, ReplyListener onDelta) {
      int[] prompt = local.chatPrompt(messages);
      int room = local.maxContextTokens() - prompt.length;
      if (room < 1) {
        throw new ChatModelException("a prompt of " + prompt.length + " tokens fills the model's"
            + " context of " + local.maxContextTokens());
      }
      GenerationConfig bounded = room >= config.maxNewTokens() ? config
          : config.toBuilder().optMaxNewTokens(room).build();
      return local.generate(prompt, bounded, onDelta);
    }

    /** The batch, unless a prompt in it leaves too little room: then the harness asks one by one. */
    @Override
    public List<ChatReply> chatAll(List<List<ChatMessage>> conversations, GenerationConfig config) {
      for (List<ChatMessage> c : conversations) {
        if (local.chatPrompt(c).length + config.maxNewTokens() > local.maxContextTokens()) {
          throw new ChatModelException("a prompt leaves less than " + config.maxNewTokens()
              + " tokens of the model's context");
        }
      }
      return local.chatAll(conversations, config);
    }
  }
}
