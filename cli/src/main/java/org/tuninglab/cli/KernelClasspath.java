package org.tuninglab.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The classpath of this JVM, which holds the kernel, its extensions and the library: the kernel's classpath too. */
final class KernelClasspath {

  private KernelClasspath() {}

  /** Under Surefire the real classpath is published in {@code surefire.test.class.path}. */
  static List<Path> ofThisJvm() {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath())
        .toList();
  }
}
