package org.tuninglab.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.tuninglab.kernel.TuningLabKernel;

/** {@code %maven GROUP:ARTIFACT:VERSION...}: adds artifacts and their runtime dependencies to later cells. */
public final class MavenMagic implements LineMagic<List<String>, TuningLabKernel> {

  private MavenResolver resolver;

  @Override
  public List<String> eval(TuningLabKernel kernel, List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("%maven needs coordinates, e.g. %maven org.knowm.xchart:xchart:3.8.8");
    }
    if (resolver == null) {
      resolver = new MavenResolver(MavenResolver.defaultLocalRepository(), false);
    }
    List<Path> jars = new ArrayList<>();
    for (String coordinates : args) {
      jars.addAll(resolver.resolve(coordinates));
    }
    kernel.addToClasspath(jars);
    return null;
  }
}
