package org.tuninglab.kernel.spec;

import com.google.gson.GsonBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Jupyter kernelspec for the Java kernel.
 *
 * @param name the kernel's name (its folder), letters, digits, {@code . _ -}
 * @param displayName what the notebook's kernel menu shows
 * @param java the {@code java} executable, absolute so Jupyter's PATH does not matter
 * @param jvmOptions options before the main class (heap size, system properties)
 * @param classpath the kernel's jars and folders: the kernel, its extensions, the library
 * @param env environment variables for the kernel ({@code JJAVA_CLASSPATH} and friends)
 */
public record KernelSpec(
    String name, String displayName, Path java, List<String> jvmOptions, List<Path> classpath, Map<String, String> env) {

  public static final String DEFAULT_NAME = "tuninglab-java";
  public static final String DEFAULT_DISPLAY_NAME = "Java (Tuning Lab)";
  public static final String MAIN_CLASS = "org.tuninglab.kernel.KernelMain";

  /** Options every spec gets: headless AWT for chart rendering, quiet kernel logs on the real stderr. */
  public static final List<String> BASE_JVM_OPTIONS = List.of(
      "-Djava.awt.headless=true",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
      "-Dorg.slf4j.simpleLogger.cacheOutputStream=true");

  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  public KernelSpec {
    if (name == null || !VALID_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Kernel name '" + name + "' is not valid: use letters, digits, '.', '_' and '-' only");
    }
    if (classpath.isEmpty()) {
      throw new IllegalArgumentException("A kernelspec needs a classpath holding " + MAIN_CLASS);
    }
    jvmOptions = List.copyOf(jvmOptions);
    classpath = List.copyOf(classpath);
    env = Map.copyOf(env);
  }

  /**
   * Environment every kernel gets unless the caller overrides it: libtorch's MKL takes slow generic
   * code paths on AMD processors unless allowed a modern instruction set; on Intel processors the
   * value only caps MKL at what the processor has anyway.
   */
  public static final Map<String, String> ENGINE_ENV = Map.of("MKL_ENABLE_INSTRUCTIONS", "AVX512");

  /** A spec that starts the kernel with this JVM's java and the given classpath. */
  public static KernelSpec forThisJvm(String name, List<Path> classpath, Map<String, String> env) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Map<String, String> merged = new java.util.TreeMap<>(ENGINE_ENV);
    merged.putAll(env);
    return new KernelSpec(name, DEFAULT_DISPLAY_NAME, java, BASE_JVM_OPTIONS, classpath, merged);
  }

  /** The command line Jupyter runs, {@code {connection_file}} last. */
  public List<String> argv() {
    List<String> argv = new ArrayList<>();
    argv.add(java.toString());
    argv.addAll(jvmOptions);
    argv.add("-cp");
    argv.add(String.join(File.pathSeparator, classpath.stream().map(p -> p.toAbsolutePath().toString()).toList()));
    argv.add(MAIN_CLASS);
    argv.add("{connection_file}");
    return argv;
  }

  /** The {@code kernel.json} text. Interrupts go as messages: a SIGINT would kill the JVM. */
  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("argv", argv());
    json.put("display_name", displayName);
    json.put("language", "java");
    json.put("interrupt_mode", "message");
    if (!env.isEmpty()) {
      json.put("env", new java.util.TreeMap<>(env));
    }
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json);
  }

  /** Writes {@code kernelsDir/NAME/kernel.json}, replacing an older one; returns the spec's folder. */
  public Path installInto(Path kernelsDir) throws IOException {
    Path dir = kernelsDir.resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kernel.json"), toJson());
    return dir;
  }
}
