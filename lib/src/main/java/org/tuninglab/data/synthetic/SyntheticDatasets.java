package org.tuninglab.data.synthetic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.io.AtomicFiles;

/**
 * Writes the workshop's generated training data sets into a {@code datasets/} folder, byte for
 * byte the same on every machine (the RAG lesson's corpus is {@link HandbookGenerator}'s, written
 * by the same command):
 *
 * <ul>
 *   <li>{@code stories/train.txt} and {@code stories/holdout.txt}: the pretraining corpus, one
 *       story a paragraph, paragraphs separated by a blank line;
 *   <li>{@code entities/entities.jsonl}: the fine-tuning task, fields {@code prompt} (a text),
 *       {@code completion} (its people, places and dates as JSON) and {@code domain};
 *   <li>{@code preferences/train.jsonl} and {@code preferences/holdout.jsonl}: preference pairs
 *       over the entity texts, fields {@code prompt}, {@code chosen} (the answer without empty
 *       fields), {@code rejected} (the full answer) and {@code domain}.
 * </ul>
 *
 * <p>Regenerate with {@code ./tuninglab datasets} (or this class's {@code main}).
 */
public final class SyntheticDatasets {
  /** The story corpus's seed. */
  public static final long STORY_SEED = 42;

  /** Stories in the training part. */
  public static final int TRAIN_STORIES = 4000;

  /** Stories in the holdout part (generated after the training ones, by the same generator). */
  public static final int HOLDOUT_STORIES = 200;

  /** The entity task's seed. */
  public static final long ENTITY_SEED = 7;

  /** Entity examples per domain. */
  public static final int ENTITIES_PER_DOMAIN = 400;

  /** The corpus folder, relative to the data sets folder. */
  public static final String STORIES = "stories";

  /** The RAG corpus's folder, relative to the data sets folder ({@link HandbookGenerator}). */
  public static final String HANDBOOK = "cluster-handbook";

  /** The fine-tuning data file, relative to the data sets folder. */
  public static final String ENTITIES = "entities/entities.jsonl";

  /** The preference pairs' seed. */
  public static final long PREFERENCE_SEED = 11;

  /** Preference pairs in the training file. */
  public static final int PREFERENCE_TRAIN = 400;

  /** Preference pairs in the holdout file (generated after the training ones, no text repeated). */
  public static final int PREFERENCE_HOLDOUT = 100;

  /** The preference pairs' folder, relative to the data sets folder. */
  public static final String PREFERENCES = "preferences";

  private SyntheticDatasets() {}

  /**
   * Writes every data set under {@code dir}.
   *
   * @param dir the data sets folder
   * @return the files written
   * @throws IOException if a file cannot be written
   */
  public static List<Path> write(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    Path stories = dir.resolve(STORIES);
    Files.createDirectories(stories);
    StoryGenerator generator = new StoryGenerator(STORY_SEED);
    files.add(writeStories(stories.resolve("train.txt"), generator, TRAIN_STORIES));
    files.add(writeStories(stories.resolve("holdout.txt"), generator, HOLDOUT_STORIES));
    Path entities = dir.resolve(ENTITIES);
    Files.createDirectories(entities.getParent());
    AtomicFiles.writeString(entities, entityLines());
    files.add(entities);
    Path preferences = dir.resolve(PREFERENCES);
    Files.createDirectories(preferences);
    PreferencePairGenerator pairs = new PreferencePairGenerator(PREFERENCE_SEED);
    Path train = preferences.resolve("train.jsonl");
    AtomicFiles.writeString(train, preferenceLines(pairs, PREFERENCE_TRAIN));
    files.add(train);
    Path holdout = preferences.resolve("holdout.jsonl");
    AtomicFiles.writeString(holdout, preferenceLines(pairs, PREFERENCE_HOLDOUT));
    files.add(holdout);
    return files;
  }

  /** The generator's next {@code count} stories, as written to a {@code stories/} file. */
  static String stories(StoryGenerator generator, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : "\n").append(generator.next()).append('\n');
    }
    return text.toString();
  }

  /** The entity task's lines: the domains take turns, so any prefix is balanced. */
  static String entityLines() throws JsonProcessingException {
    ObjectMapper json = new ObjectMapper();
    EntityTaskGenerator generator = new EntityTaskGenerator(ENTITY_SEED);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < ENTITIES_PER_DOMAIN; i++) {
      for (String domain : EntityTaskGenerator.DOMAINS) {
        EntityTaskGenerator.Item item = generator.next(domain);
        ObjectNode node = json.createObjectNode();
        node.put("prompt", item.prompt());
        node.put("completion", item.completion());
        node.put("domain", item.domain());
        lines.append(json.writeValueAsString(node)).append('\n');
      }
    }
    return lines.toString();
  }

  /** The generator's next {@code count} preference pairs, one JSON object a line. */
  static String preferenceLines(PreferencePairGenerator generator, int count)
      throws JsonProcessingException {
    ObjectMapper json = new ObjectMapper();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < count; i++) {
      PreferencePairGenerator.Pair pair = generator.next();
      ObjectNode node = json.createObjectNode();
      node.put("prompt", pair.prompt());
      node.put("chosen", pair.chosen());
      node.put("rejected", pair.rejected());
      node.put("domain", pair.domain());
      lines.append(json.writeValueAsString(node)).append('\n');
    }
    return lines.toString();
  }

  private static Path writeStories(Path file, StoryGenerator generator, int count)
      throws IOException {
    AtomicFiles.writeString(file, stories(generator, count));
    return file;
  }

  /**
   * Writes the data sets into the folder given as the first argument ({@code datasets} if none).
   *
   * @param args the folder
   * @throws IOException if a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    for (Path file : write(Path.of(args.length > 0 ? args[0] : "datasets"))) {
      System.out.println("wrote " + file + " (" + Files.size(file) + " bytes)");
    }
  }
}
