package org.tuninglab.lesson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.data.Example;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.eval.EntityExtractor;
import org.tuninglab.eval.EntityOverlap;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExactMatch;
import org.tuninglab.eval.JsonValidity;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;
import org.tuninglab.train.TrainingListener;

/**
 * The fine-tuned model the prompting lesson holds its figures against: the LoRA preset's adapter
 * (the run lesson 01 makes), answering the first items of the entity holdout, the same items
 * {@link LessonBench} asks the base model about (both take the presets' seeded split). It answers
 * as it was trained: the preset's system prompt, then the text.
 *
 * <p>Within a workshop run the adapter notebook 02 trained minutes before is reused ({@link
 * Lab#earlierSharedFolder}); elsewhere the preset trains once, with a cap on its updates, into a
 * folder of the caller's, and a later call on the same folder (the worked solution, in a
 * workshop run) reuses that.
 *
 * @param source where the adapter came from, in words
 * @param adapter the adapter folder (PEFT's format)
 * @param score the tuned model's answers, scored
 */
public record TunedBaseline(String source, Path adapter, ExtractionScore score) {

  /** The notebook whose shared folder may hold a LoRA run to reuse. */
  public static final String EARLIER_NOTEBOOK = "02-methods";

  /** The preset, and the run's subfolder in a notebook's folder. */
  static final String METHOD = "lora";

  /**
   * Reuses or trains the LoRA preset, then scores it.
   *
   * @param lab the model, the device and the checkout
   * @param own the folder a run of its own trains into (the derived config and {@code lora/})
   * @param items how many holdout items to answer
   * @param maxNewTokens the answers' length limit
   * @param maxSteps the cap on a run of its own (the preset trains for its epochs)
   * @param onAnswer called after each answer with the answers done and the total
   * @param listeners see the training, when it trains
   * @return the adapter's source and its score
   * @throws IOException if the model, the data or the adapter cannot be read or written
   */
  public static TunedBaseline reuseOrTrain(
      Lab lab, Path own, int items, int maxNewTokens, int maxSteps,
      BiConsumer<Integer, Integer> onAnswer, TrainingListener... listeners) throws IOException {
    Path ownRun = own.resolve(METHOD);
    SftConfig config = lab.config(lab.preset(METHOD),
        Map.of("max_steps", maxSteps, "output_dir", ownRun.toString()), own.resolve(METHOD + ".yaml"));
    Optional<Path> earlier =
        lab.earlierSharedFolder(EARLIER_NOTEBOOK).map(d -> d.resolve(METHOD).resolve("adapter"));
    Path adapter = reusable(earlier, ownRun.resolve("adapter"));
    String source;
    if (adapter == null) {
      SftResult result = SftRecipe.run(config, listeners);
      if (result.adapter() == null) {
        throw new IllegalStateException(
            "the LoRA run in " + ownRun + " saved no adapter: " + result.training().message());
      }
      adapter = result.adapter();
      source = "the LoRA preset trained here, " + result.training().steps() + " updates (the preset"
          + " makes " + config.trainer().epochs() + " epochs; lesson 01 runs them all)";
    } else if (earlier.isPresent() && adapter.equals(earlier.get())) {
      source = "the LoRA preset as lesson 01 trains it (" + config.trainer().epochs() + " epochs), reused"
          + " from notebook 02's run in this workshop run";
    } else {
      Path shown = ownRun.startsWith(lab.root()) ? lab.root().relativize(ownRun) : ownRun;
      source = "the LoRA preset trained earlier in this workshop run (" + shown + "), reused";
    }
    return new TunedBaseline(source, adapter, score(lab, config, adapter, items, maxNewTokens, onAnswer));
  }

  /**
   * The adapter to reuse: the earlier notebook's, else one in the caller's folder, else none (null:
   * train). A folder counts only when it holds a saved adapter ({@code adapter_config.json}).
   */
  static Path reusable(Optional<Path> earlier, Path own) {
    if (earlier.isPresent() && isAdapter(earlier.get())) {
      return earlier.get();
    }
    return isAdapter(own) ? own : null;
  }

  private static boolean isAdapter(Path dir) {
    return Files.isRegularFile(dir.resolve("adapter_config.json"));
  }

  /** The adapter on a freshly loaded base, answering the first holdout items greedily. */
  private static ExtractionScore score(
      Lab lab, SftConfig config, Path adapter, int items, int maxNewTokens,
      BiConsumer<Integer, Integer> onAnswer) throws IOException {
    EntityExtractor typed = EntityExtractor.jsonFields();
    List<LabelledExample> labelled = new ArrayList<>();
    List<Example> holdout = SftRecipe.split(config.data(), config.trainer().seed()).holdout();
    for (Example e : holdout.subList(0, Math.min(items, holdout.size()))) {
      if (!(e instanceof PromptCompletion pc)) {
        throw new IllegalArgumentException(
            e.origin() + ": the entity task's examples are prompt/completion pairs, not conversations");
      }
      labelled.add(LabelledExample.of("entity-" + (labelled.size() + 1), pc.prompt(), pc.completion())
          .withEntitiesFromReference(typed));
    }
    try (PretrainedModel base =
            LanguageModel.loadPretrained(config.model(), lab.djlDevice(), config.precision().dataType());
        AdaptedModel adapted = config.method().loadAdapter(adapter, base.model())) {
      LocalChatModel chat =
          LocalChatModel.builder().setModel(base).optAdaptedModel(adapted).optName("LoRA").build();
      EvalResult r = GreedyAnswers.of(chat, labelled, config.data().systemPrompt(), maxNewTokens,
          onAnswer, List.of(ExactMatch.normalized(), JsonValidity.any(), EntityOverlap.f1(typed)));
      return new ExtractionScore(labelled.size(), r.value("LoRA", "exact_match"),
          r.value("LoRA", "json_valid"), r.value("LoRA", "entity_f1"));
    }
  }
}
