package org.tuninglab.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.tuninglab.data.synthetic.StoryGenerator;
import org.tuninglab.data.synthetic.SyntheticDatasets;
import org.tuninglab.io.AtomicFiles;

/**
 * Writes the embedded model's pretraining mix, {@code pretraining/train.txt} and {@code
 * pretraining/holdout.txt} under a data sets folder, byte for byte the same on every machine:
 * {@link #COMPONENTS}' documents shuffled together, each document ended by a line holding only
 * {@link #SEPARATOR} (chats hold blank lines, so a blank line cannot end a document). The holdout
 * draws every component from other seeds (stories from the story holdout, handbooks from seeds
 * above 100,000). Beside them it writes the practice set of the last training stage ({@link
 * #PRACTICE_COMPONENTS}) the same way.
 */
public final class PretrainingMix {
  /** The mix's folder, relative to the data sets folder. */
  public static final String FOLDER = "pretraining";

  /** The line that ends each document; also the token that separates documents in training. */
  public static final String SEPARATOR = "<|endoftext|>";

  /**
   * One component: its name and how many documents it gives the training and holdout parts.
   *
   * @param name the name
   * @param train documents in {@code train.txt}
   * @param holdout documents in {@code holdout.txt}
   */
  public record Component(String name, int train, int holdout) {}

  /** The components, in the order the cards list them. */
  public static final List<Component> COMPONENTS =
      List.of(
          new Component("stories", 2500, 60),
          new Component("grounded", 3600, 60),
          new Component("few-shot", 3600, 60),
          new Component("instructions", 2500, 60),
          new Component("safety", 1500, 60));

  /**
   * The practice set of stage 5, written as {@code practice-train.txt} and {@code
   * practice-holdout.txt}: chats only, from seeds of their own. Few-shot chats whose examples are
   * picked by similarity, with the lists in {@link Category}'s order and keys that are nine times
   * in ten coined or unrelated words (so the examples, and a list's place, tell what it holds); the
   * other chat components and story-telling chats, so their abilities are rehearsed, not forgotten.
   */
  public static final List<Component> PRACTICE_COMPONENTS =
      List.of(
          new Component("few-shot-in-order", 3600, 60),
          new Component("grounded", 1200, 40),
          new Component("instructions", 800, 40),
          new Component("safety", 600, 40),
          new Component("story-chats", 1500, 40));

  /** Added to every seed of the practice set, so its generators draw other documents. */
  private static final long PRACTICE_SEED_SHIFT = 1_000;

  private static final long SHUFFLE_SEED = 12;

  private PretrainingMix() {}

  /**
   * Writes both parts under {@code datasets}.
   *
   * @param datasets the data sets folder
   * @return the files written
   * @throws IOException if a file cannot be written
   */
  public static List<Path> write(Path datasets) throws IOException {
    Path dir = datasets.resolve(FOLDER);
    Files.createDirectories(dir);
    Path train = dir.resolve("train.txt");
    AtomicFiles.writeString(train, text(documents(false)));
    Path holdout = dir.resolve("holdout.txt");
    AtomicFiles.writeString(holdout, text(documents(true)));
    Path practiceTrain = dir.resolve("practice-train.txt");
    AtomicFiles.writeString(practiceTrain, text(practice(false)));
    Path practiceHoldout = dir.resolve("practice-holdout.txt");
    AtomicFiles.writeString(practiceHoldout, text(practice(true)));
    return List.of(train, holdout, practiceTrain, practiceHoldout);
  }

  /** The documents of one part of the mix, components shuffled together. */
  static List<String> documents(boolean holdout) {
    return shuffled(COMPONENTS, holdout, 0);
  }

  /** The documents of one part of the practice set, components shuffled together. */
  static List<String> practice(boolean holdout) {
    return shuffled(PRACTICE_COMPONENTS, holdout, PRACTICE_SEED_SHIFT);
  }

  private static List<String> shuffled(List<Component> components, boolean holdout, long shift) {
    List<String> docs = new ArrayList<>();
    for (Component c : components) {
      docs.addAll(component(c.name(), holdout ? c.holdout() : c.train(), holdout, shift));
    }
    Collections.shuffle(docs, new Random(SHUFFLE_SEED + shift + (holdout ? 1 : 0)));
    return docs;
  }

  /**
   * A component's documents, in generation order.
   *
   * @param name a component's name, of the mix or of the practice set
   * @param count how many
   * @param holdout whether from the holdout's seeds
   * @param shift added to every seed (handbooks start at ten times it further on)
   * @return the documents, each without a trailing newline
   */
  static List<String> component(String name, int count, boolean holdout, long shift) {
    long salt = (holdout ? 100 : 0) + shift;
    Supplier<String> next =
        switch (name) {
          case "stories" -> stories(holdout)::next;
          case "story-chats" -> new StoryChatGenerator(106 + salt, stories(holdout))::next;
          case "grounded" ->
              new GroundedQaGenerator(101 + salt, (holdout ? 100_001 : 1) + 10 * shift)::next;
          case "few-shot" -> new FewShotExtractionGenerator(102 + salt, false)::next;
          case "few-shot-in-order" -> new FewShotExtractionGenerator(105 + salt, true)::next;
          case "instructions" -> new InstructionGenerator(103 + salt)::next;
          case "safety" -> new SafetyGenerator(104 + salt)::next;
          default -> throw new IllegalArgumentException("no component " + name);
        };
    List<String> docs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      docs.add(next.get().stripTrailing());
    }
    return docs;
  }

  /** The story corpus's training stories, or (for the holdout) its holdout stories. */
  private static StoryGenerator stories(boolean holdout) {
    StoryGenerator generator = new StoryGenerator(SyntheticDatasets.STORY_SEED);
    if (holdout) {
      for (int i = 0; i < SyntheticDatasets.TRAIN_STORIES; i++) {
        generator.next();
      }
    }
    return generator;
  }

  /** Documents as a mix file: each followed by a {@link #SEPARATOR} line. */
  static String text(List<String> docs) {
    StringBuilder out = new StringBuilder();
    for (String doc : docs) {
      out.append(doc).append('\n').append(SEPARATOR).append('\n');
    }
    return out.toString();
  }

  /**
   * Writes the mix into the folder given as the first argument ({@code datasets} if none).
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
