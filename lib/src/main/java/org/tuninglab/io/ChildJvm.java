package org.tuninglab.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a measurement in a JVM of its own, so that its memory and allocator state are its own: this
 * JVM's {@code java} and class path, the child's stderr passed through, and its result read back as
 * the last stdout line that starts with a prefix.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Starts the child, waits for it and returns its result line without the prefix.
   *
   * @param what the measurement, for error messages ("the lora benchmark")
   * @param jvmOptions options before the class path (heap size, ...)
   * @param environment edits the child's environment (copied from this process)
   * @param main the child's main class
   * @param args its arguments
   * @param prefix what the result line starts with
   * @throws IOException if the child cannot start, exits with an error, or prints no result line
   */
  public static String resultLine(String what, List<String> jvmOptions,
      Consumer<Map<String, String>> environment, Class<?> main, List<String> args, String prefix)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    environment.accept(builder.environment());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + what + " ran", e);
    }
    String line = out.lines().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b).orElse(null);
    if (exit != 0 || line == null) {
      throw new IOException(
          what + " (child JVM " + java + ") exited with status " + exit
              + (line == null ? " without printing its result line" : "")
              + "; its stderr is above, its stdout was: " + out.strip());
    }
    return line.substring(prefix.length());
  }
}
