package org.tuninglab.kernel.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;
import org.tuninglab.kernel.TuningLabKernel;

/** {@code %classpath PATH...}: adds jars and class folders (globs allowed, e.g. {@code lib/*}) to later cells. */
public final class ClasspathMagic implements LineMagic<List<String>, TuningLabKernel> {

  @Override
  public List<String> eval(TuningLabKernel kernel, List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("%classpath needs at least one path, e.g. %classpath lib/*");
    }
    List<Path> entries = new ArrayList<>();
    for (String arg : args) {
      List<Path> matched = PathsHandler.splitAndResolveGlobs(arg);
      if (matched.isEmpty() || matched.stream().noneMatch(Files::exists)) {
        throw new IllegalArgumentException("%classpath: nothing found at " + arg);
      }
      entries.addAll(matched);
    }
    kernel.addToClasspath(entries);
    return null;
  }
}
