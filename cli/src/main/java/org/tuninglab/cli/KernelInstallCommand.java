package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tuninglab.kernel.spec.KernelLocation;
import org.tuninglab.kernel.spec.KernelSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab kernel install [--user | --prefix DIR] [--name NAME]}: no root needed. */
@Command(
    name = "install",
    description = "Install the Java kernelspec (its classpath holds the kernel, display extensions and library).",
    mixinStandardHelpOptions = true)
final class KernelInstallCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true)
  Target target = new Target();

  static final class Target {
    @Option(names = "--user", description = "Install for this user (the default).")
    boolean user;

    @Option(names = "--prefix", paramLabel = "DIR", description = "Install under DIR/share/jupyter/kernels (e.g. a virtualenv).")
    Path prefix;
  }

  @Option(names = "--name", paramLabel = "NAME", defaultValue = KernelSpec.DEFAULT_NAME,
      description = "Kernelspec name (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() throws Exception {
    Path kernels = target.prefix != null ? KernelLocation.prefix(target.prefix) : KernelLocation.user(System.getenv());
    Path dir = KernelSpec.forThisJvm(name, KernelClasspath.ofThisJvm(), Map.of()).installInto(kernels);
    System.out.println("Installed kernelspec '" + name + "' (" + KernelSpec.DEFAULT_DISPLAY_NAME + ") in " + dir);
    if (target.prefix != null) {
      System.out.println("Jupyter finds it when " + target.prefix.resolve("share/jupyter") + " is on JUPYTER_PATH"
          + " or the prefix is Jupyter's own.");
    }
    return 0;
  }
}
