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
 * @param mainClass the class started: {@link #MAIN_CLASS}, or a wrapper that selects libtorch first
 */
public record KernelSpec(
    String name, String displayName, Path java, List<String> jvmOptions, List<Path> classpath, Map<String, String> env,
    String mainClass) {

  public static final String DEFAULT_NAME = "tuninglab-java";
  public static final String DEFAULT_DISPLAY_NAME = "Java (Tuning Lab)";
  public static final String MAIN_CLASS = "org.tuninglab.kernel.KernelMain";
  public static final String GPU_NAME = "tuninglab-java-gpu";
  public static final String GPU_DISPLAY_NAME = "Java (Tuning Lab, GPU)";

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
    if (mainClass == null || mainClass.isBlank()) {
      throw new IllegalArgumentException("A kernelspec needs a main class");
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
   * code paths on AMD processors unless allowed a modern instruction set (on Intel processors the
   * value only caps MKL at what the processor has anyway), and glibc's transparent huge pages spare
   * libtorch a page fault per 4 KiB of every large buffer it reallocates each step (docs/model.md).
   */
  public static final Map<String, String> ENGINE_ENV =
      Map.of("MKL_ENABLE_INSTRUCTIONS", "AVX512", "GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");

  /** A spec that starts the kernel with this JVM's java and the given classpath. */
  public static KernelSpec forThisJvm(String name, List<Path> classpath, Map<String, String> env) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Map<String, String> merged = new java.util.TreeMap<>(ENGINE_ENV);
    merged.putAll(env);
    return new KernelSpec(name, DEFAULT_DISPLAY_NAME, java, BASE_JVM_OPTIONS, classpath, merged, MAIN_CLASS);
  }

  /** The same spec under another name, menu entry and main class (the GPU kernel's wrapper). */
  public KernelSpec as(String newName, String newDisplayName, String newMainClass) {
    return new KernelSpec(newName, newDisplayName, java, jvmOptions, classpath, env, newMainClass);
  }

  /**
   * The command line Jupyter runs, {@code {connection_file}} last. A {@code /bin/sh} guard runs
   * first: kernel.json holds absolute paths, so when the checkout moves or its build is deleted the
   * kernel would die with a bare ClassNotFoundException in Jupyter's log; the guard says instead
   * which file is gone and that the kernelspec must be installed again.
   */
  public List<String> argv() {
    List<String> argv = new ArrayList<>();
    argv.add("/bin/sh");
    argv.add("-c");
    argv.add(guard());
    argv.add(name);
    argv.add(java.toString());
    argv.addAll(jvmOptions);
    argv.add("-cp");
    argv.add(String.join(File.pathSeparator, classpath.stream().map(p -> p.toAbsolutePath().toString()).toList()));
    argv.add(mainClass);
    argv.add("{connection_file}");
    return argv;
  }

  // $0 is the kernel's name; "$@" the java command line. Checks java and every classpath entry.
  private String guard() {
    String reinstall = "./tuninglab kernel install --user" + (GPU_NAME.equals(name) ? " --gpu" : "");
    return "prev=; for a in \"$@\"; do"
        + " if [ \"$prev\" = -cp ]; then IFS=:; for f in $a; do if [ ! -e \"$f\" ]; then"
        + " echo \"Tuning Lab kernel '$0': $f is missing: the checkout was moved, rebuilt elsewhere or deleted since"
        + " this kernelspec was installed. Run " + reinstall + " again from the checkout.\" >&2; exit 1; fi; done;"
        + " unset IFS; fi; prev=$a; done;"
        + " if [ ! -x \"$1\" ]; then echo \"Tuning Lab kernel '$0': Java runtime $1 is gone."
        + " Run " + reinstall + " again with the java you want.\" >&2; exit 1; fi; exec \"$@\"";
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
