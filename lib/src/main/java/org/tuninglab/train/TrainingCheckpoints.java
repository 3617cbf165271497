package org.tuninglab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.score.NoGrad;

/**
 * Training checkpoints in an output folder, one folder each: {@code checkpoint-STEP/} holding the
 * trainable weights and the optimizer moments (safetensors), the loop state (JSON) and a manifest.
 *
 * <p>A checkpoint is written into a hidden temporary folder, its manifest last, and the folder is
 * then renamed into place: a crash at any moment leaves earlier checkpoints untouched, and a folder
 * without a valid manifest is never loaded.
 */
public final class TrainingCheckpoints {
  public static final String WEIGHTS = "trainable.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String STATE = "trainer_state.json";
  public static final String MANIFEST = "manifest.json";
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path outputDir;

  /**
   * Opens an output folder (created on the first save).
   *
   * @param outputDir the folder
   */
  public TrainingCheckpoints(Path outputDir) {
    this.outputDir = outputDir;
  }

  /**
   * Writes a complete checkpoint.
   *
   * @param weights the trainable arrays by name
   * @param optimizer the optimizer state by name
   * @param state the loop state
   * @return the checkpoint folder
   * @throws IOException if writing fails; earlier checkpoints are unaffected
   */
  public Path save(Map<String, NDArray> weights, Map<String, NDArray> optimizer, TrainerState state)
      throws IOException {
    Files.createDirectories(outputDir);
    Path target = outputDir.resolve("checkpoint-" + state.step());
    Path tmp = Files.createTempDirectory(outputDir, ".checkpoint-" + state.step() + ".");
    try {
      writeArrays(tmp.resolve(WEIGHTS), weights);
      writeArrays(tmp.resolve(OPTIMIZER), optimizer);
      AtomicFiles.writeString(tmp.resolve(STATE), JSON.writeValueAsString(state));
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("step", state.step());
      ObjectNode files = manifest.putObject("files");
      for (String f : List.of(WEIGHTS, OPTIMIZER, STATE)) {
        files.put(f, Files.size(tmp.resolve(f)));
      }
      AtomicFiles.writeString(tmp.resolve(MANIFEST), JSON.writeValueAsString(manifest));
      if (Files.exists(target)) {
        deleteTree(target);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
    } finally {
      if (Files.exists(tmp)) {
        deleteTree(tmp);
      }
    }
    return target;
  }

  /**
   * Deletes the hidden {@code .checkpoint-STEP.*} folders a process killed mid-save left behind;
   * for a trainer starting on this folder, before its first save (nobody else writes there).
   *
   * @return how many were removed
   * @throws IOException if one cannot be listed or deleted
   */
  public int removeUnfinished() throws IOException {
    if (!Files.isDirectory(outputDir)) {
      return 0;
    }
    List<Path> leftovers;
    try (Stream<Path> entries = Files.list(outputDir)) {
      leftovers = entries
          .filter(p -> p.getFileName().toString().startsWith(".checkpoint-") && Files.isDirectory(p))
          .toList();
    }
    for (Path p : leftovers) {
      deleteTree(p);
    }
    return leftovers.size();
  }

  /**
   * Returns the complete checkpoint with the most steps.
   *
   * @return its folder, or empty if there is none
   * @throws IOException if the folder cannot be listed
   */
  public Optional<Path> latest() throws IOException {
    return complete().stream().reduce((a, b) -> b);
  }

  /**
   * Returns every complete checkpoint, oldest first; incomplete ones (a crash mid-write) are left
   * out.
   *
   * @return the folders
   * @throws IOException if the folder cannot be listed
   */
  public List<Path> complete() throws IOException {
    if (!Files.isDirectory(outputDir)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(outputDir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (NAME.matcher(p.getFileName().toString()).matches() && isComplete(p)) {
          found.add(p);
        }
      }
    }
    found.sort(Comparator.comparingLong(TrainingCheckpoints::stepOf));
    return found;
  }

  /**
   * Deletes all but the newest {@code keep} checkpoints, never the one named {@code protect}.
   *
   * @param keep how many recent checkpoints to keep
   * @param protect a checkpoint to keep regardless (the best one), or null
   * @throws IOException if deleting fails
   */
  public void prune(int keep, Path protect) throws IOException {
    List<Path> all = complete();
    for (int i = 0; i < all.size() - keep; i++) {
      if (!all.get(i).equals(protect)) {
        deleteTree(all.get(i));
      }
    }
  }

  /**
   * Reads a checkpoint's loop state.
   *
   * @param checkpoint the checkpoint folder
   * @return the state
   * @throws IOException if the file is missing or malformed
   */
  public static TrainerState readState(Path checkpoint) throws IOException {
    Path file = checkpoint.resolve(STATE);
    try {
      return JSON.readValue(file.toFile(), TrainerState.class);
    } catch (JacksonException e) {
      throw new IOException(file + ": not a trainer state: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Copies saved arrays into existing ones, in place.
   *
   * @param file a safetensors file of the checkpoint
   * @param into the arrays to fill, by name; each must be in the file with the same shape
   * @throws IOException if the file is unreadable, or an array is missing or differs in shape
   */
  public static void readArrays(Path file, Map<String, NDArray> into) throws IOException {
    NDManager manager = into.values().iterator().next().getManager();
    try (NoGrad off = NoGrad.enter(); // parameters are written in place
        NDManager scope = manager.newSubManager();
        InputStream in = Files.newInputStream(file)) {
      NDList saved = NDList.decode(scope, in);
      for (var e : into.entrySet()) {
        NDArray found = saved.get(e.getKey());
        if (found == null) {
          throw new IOException(file + ": tensor \"" + e.getKey() + "\" is missing");
        }
        if (!found.getShape().equals(e.getValue().getShape())) {
          throw new IOException(
              file + ": tensor \"" + e.getKey() + "\" has shape " + found.getShape()
                  + ", expected " + e.getValue().getShape());
        }
        e.getValue().set(new NDIndex("..."), found.toType(e.getValue().getDataType(), false));
      }
    }
  }

  /**
   * Returns the step a checkpoint folder holds, from its name.
   *
   * @param checkpoint the folder
   * @return the step
   */
  public static long stepOf(Path checkpoint) {
    Matcher m = NAME.matcher(checkpoint.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(checkpoint + " is not a checkpoint-STEP folder");
    }
    return Long.parseLong(m.group(1));
  }

  private static boolean isComplete(Path dir) {
    try {
      JsonNode manifest = JSON.readTree(dir.resolve(MANIFEST).toFile());
      for (var f : (Iterable<Map.Entry<String, JsonNode>>) manifest.get("files")::fields) {
        if (Files.size(dir.resolve(f.getKey())) != f.getValue().asLong()) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void writeArrays(Path file, Map<String, NDArray> arrays) throws IOException {
    NDManager manager = arrays.values().iterator().next().getManager();
    try (NDManager scope = manager.newSubManager()) {
      NDList list = new NDList();
      for (var e : arrays.entrySet()) {
        NDArray copy = e.getValue().duplicate(); // named copy: the model's arrays keep their names
        copy.attach(scope);
        copy.setName(e.getKey());
        list.add(copy);
      }
      AtomicFiles.write(file, out -> list.encode(out, NDList.Encoding.SAFETENSORS));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
