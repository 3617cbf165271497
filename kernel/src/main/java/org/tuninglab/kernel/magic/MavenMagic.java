package org.tuninglab.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.tuninglab.kernel.MagicException;
import org.tuninglab.kernel.TuningLabKernel;

/**
 * {@code %maven [--offline] [--verbose] GROUP:ARTIFACT:VERSION...}: adds artifacts and their
 * runtime dependencies to later cells. A failure is one line naming what was not found where;
 * {@code --verbose} adds the resolver's full cause chain, {@code --offline} asks only the local
 * repository.
 */
public final class MavenMagic implements LineMagic<List<String>, TuningLabKernel> {

  static final String USAGE = "%maven [--offline] [--verbose] GROUP:ARTIFACT:VERSION..., e.g. %maven org.knowm.xchart:xchart:3.8.8";

  private MavenResolver online;
  private MavenResolver offline;

  @Override
  public List<String> eval(TuningLabKernel kernel, List<String> args) throws Exception {
    boolean verbose = false;
    boolean localOnly = false;
    List<String> coordinates = new ArrayList<>();
    for (String arg : args) {
      switch (arg) {
        case "--verbose", "-v" -> verbose = true;
        case "--offline", "-o" -> localOnly = true;
        default -> {
          if (arg.startsWith("-")) {
            throw new MagicException("Unknown option " + arg + "; usage: " + USAGE, null);
          }
          coordinates.add(arg);
        }
      }
    }
    if (coordinates.isEmpty()) {
      throw new MagicException("%maven needs coordinates; usage: " + USAGE, null);
    }
    MavenResolver resolver = resolver(localOnly);
    List<Path> jars = new ArrayList<>();
    for (String artifact : coordinates) {
      try {
        jars.addAll(resolver.resolve(artifact));
      } catch (IllegalArgumentException e) {
        String more = e.getCause() == null ? "" : verbose ? causeChain(e) : " (%maven --verbose shows the resolver's full report)";
        throw new MagicException(e.getMessage() + more, e);
      }
    }
    kernel.addToClasspath(jars);
    return null;
  }

  private MavenResolver resolver(boolean localOnly) {
    if (localOnly) {
      if (offline == null) {
        offline = new MavenResolver(MavenResolver.defaultLocalRepository(), true);
      }
      return offline;
    }
    if (online == null) {
      online = new MavenResolver(MavenResolver.defaultLocalRepository(), false);
    }
    return online;
  }

  /** The causes below {@code e}, one per line. */
  static String causeChain(Throwable e) {
    StringBuilder chain = new StringBuilder();
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      chain.append("\n  caused by: ").append(cause);
    }
    return chain.toString();
  }
}
