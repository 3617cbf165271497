package org.tuninglab.kernel.magic;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.tuninglab.kernel.TuningLabKernel;

/** {@code %load FILE}: runs a file of Java snippets (a {@code .jshell} script) as if it were a cell. */
public final class LoadMagic implements LineMagic<Object, TuningLabKernel> {

  @Override
  public Object eval(TuningLabKernel kernel, List<String> args) throws Exception {
    if (args.size() != 1) {
      throw new IllegalArgumentException("%load takes exactly one file, got " + args.size() + " arguments");
    }
    Path file = Path.of(args.get(0));
    try {
      return kernel.evalRaw(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("%load: no such file " + file.toAbsolutePath(), e);
    }
  }
}
