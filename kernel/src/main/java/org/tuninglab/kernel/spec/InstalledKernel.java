package org.tuninglab.kernel.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Tuning Lab kernelspec found on disk, and whether it still starts: its {@code kernel.json}
 * holds absolute paths, which a moved or deleted checkout leaves dangling.
 *
 * @param name the kernelspec's folder name
 * @param dir its folder
 * @param displayName the notebook menu entry
 * @param missing java and classpath entries that no longer exist (empty: it starts)
 */
public record InstalledKernel(String name, Path dir, String displayName, List<Path> missing) {

  public InstalledKernel {
    missing = List.copyOf(missing);
  }

  /** Every Tuning Lab kernelspec (one that starts a class of {@code org.tuninglab}) in the given kernels folders. */
  public static List<InstalledKernel> find(List<Path> kernelsDirs) {
    List<InstalledKernel> out = new ArrayList<>();
    for (Path kernels : kernelsDirs) {
      if (!Files.isDirectory(kernels)) {
        continue;
      }
      try (Stream<Path> dirs = Files.list(kernels)) {
        for (Path dir : dirs.sorted().toList()) {
          read(dir).ifPresent(out::add);
        }
      } catch (IOException e) {
        // unreadable folder: nothing found there
      }
    }
    return out;
  }

  private static Optional<InstalledKernel> read(Path dir) {
    Path json = dir.resolve("kernel.json");
    if (!Files.isRegularFile(json)) {
      return Optional.empty();
    }
    try {
      JsonObject spec = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      List<String> argv = spec.getAsJsonArray("argv").asList().stream().map(JsonElement::getAsString).toList();
      if (argv.stream().noneMatch(a -> a.startsWith("org.tuninglab."))) {
        return Optional.empty();
      }
      List<Path> missing = new ArrayList<>();
      int cp = argv.indexOf("-cp");
      int javaAt = argv.get(0).equals("/bin/sh") ? 4 : 0;
      Path javaExe = Path.of(argv.get(javaAt));
      if (!Files.isExecutable(javaExe)) {
        missing.add(javaExe);
      }
      if (cp >= 0 && cp + 1 < argv.size()) {
        for (String entry : argv.get(cp + 1).split(File.pathSeparator)) {
          if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
            missing.add(Path.of(entry));
          }
        }
      }
      String display = spec.has("display_name") ? spec.get("display_name").getAsString() : dir.getFileName().toString();
      return Optional.of(new InstalledKernel(dir.getFileName().toString(), dir, display, missing));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
