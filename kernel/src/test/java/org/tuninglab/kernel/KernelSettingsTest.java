package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelSettingsTest {

  @Test
  void defaultsLoadExtensionsAndUseTheFastLoop() {
    KernelSettings settings = KernelSettings.fromEnvironment(Map.of());
    assertTrue(settings.loadExtensions());
    assertTrue(settings.fastShellLoop());
    assertEquals("", settings.classpath());
    assertEquals(KernelSettings.DEFAULT_MAX_OUTPUT_LINES, settings.maxOutputLines());
  }

  @Test
  void outputLimitIsReadAndCheckedForPositiveNumbers() {
    assertEquals(50_000, KernelSettings.fromEnvironment(Map.of("TUNINGLAB_KERNEL_MAX_OUTPUT_LINES", "50_000")).maxOutputLines());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> KernelSettings.fromEnvironment(Map.of("TUNINGLAB_KERNEL_MAX_OUTPUT_LINES", "lots")));
    assertEquals("TUNINGLAB_KERNEL_MAX_OUTPUT_LINES must be a positive whole number, got 'lots'", e.getMessage());
  }

  @Test
  void readsJJavaVariables() {
    KernelSettings settings = KernelSettings.fromEnvironment(Map.of(
        "JJAVA_CLASSPATH", "lib/*", "JJAVA_STARTUP_SCRIPT", "int x = 1;",
        "JJAVA_LOAD_EXTENSIONS", "0", "TUNINGLAB_KERNEL_SHELL_LOOP", "polling"));
    assertEquals("lib/*", settings.classpath());
    assertEquals("int x = 1;", settings.startupScript());
    assertFalse(settings.loadExtensions());
    assertFalse(settings.fastShellLoop());
  }
}
