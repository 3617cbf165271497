package org.tuninglab.kernel;

import java.util.Map;

/**
 * The kernel's settings from the environment variables JJava/IJava users know.
 *
 * @param classpath {@code JJAVA_CLASSPATH}: extra jars and folders, path-separated, globs allowed ({@code dir/*})
 * @param startupScript {@code JJAVA_STARTUP_SCRIPT}: Java code run once before the first cell
 * @param loadExtensions {@code JJAVA_LOAD_EXTENSIONS}: whether to install the extensions found on the classpath (default true)
 * @param fastShellLoop {@code TUNINGLAB_KERNEL_SHELL_LOOP} is not {@code polling}: answer requests as they arrive
 *     instead of jjava's 50 ms polling loop (kept only to measure the difference)
 * @param maxOutputLines {@code TUNINGLAB_KERNEL_MAX_OUTPUT_LINES}: lines of stream output a cell shows before the
 *     rest is counted instead (default {@value #DEFAULT_MAX_OUTPUT_LINES})
 */
public record KernelSettings(
    String classpath, String startupScript, boolean loadExtensions, boolean fastShellLoop, int maxOutputLines) {

  public static final int DEFAULT_MAX_OUTPUT_LINES = 10_000;

  public static KernelSettings fromEnvironment(Map<String, String> env) {
    String load = env.getOrDefault("JJAVA_LOAD_EXTENSIONS", "true").trim().toLowerCase(java.util.Locale.ROOT);
    return new KernelSettings(
        env.getOrDefault("JJAVA_CLASSPATH", ""),
        env.getOrDefault("JJAVA_STARTUP_SCRIPT", ""),
        !(load.equals("0") || load.equals("false") || load.equals("no")),
        !"polling".equals(env.get("TUNINGLAB_KERNEL_SHELL_LOOP")),
        positive(env, "TUNINGLAB_KERNEL_MAX_OUTPUT_LINES", DEFAULT_MAX_OUTPUT_LINES));
  }

  private static int positive(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip().replace("_", ""));
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive whole number, got '" + value + "'");
  }
}
