package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tuninglab.kernel.spec.KernelLocation;
import org.tuninglab.kernel.spec.KernelSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab kernel install [--user | --prefix DIR] [--name NAME] [--gpu]}: no root needed. */
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

  @Option(names = "--name", paramLabel = "NAME",
      description = "Kernelspec name (default: " + KernelSpec.DEFAULT_NAME + ", with --gpu " + KernelSpec.GPU_NAME + ").")
  String name;

  @Option(names = "--gpu", description = "Install \"" + KernelSpec.GPU_DISPLAY_NAME + "\": a kernel whose libtorch is the"
      + " CUDA build (TUNINGLAB_TORCH, if set to a folder, is kept; else it is found at kernel start, docs/gpu.md).")
  boolean gpu;

  @Override
  public Integer call() throws Exception {
    Path kernels = target.prefix != null ? KernelLocation.prefix(target.prefix) : KernelLocation.user(System.getenv());
    KernelSpec spec = gpu ? GpuKernel.spec(System.getenv()) : KernelSpec.forThisJvm(KernelSpec.DEFAULT_NAME, KernelClasspath.ofThisJvm(), Map.of());
    if (name != null) {
      spec = spec.as(name, spec.displayName(), spec.mainClass());
    }
    Path dir = spec.installInto(kernels);
    System.out.println("Installed kernelspec '" + spec.name() + "' (" + spec.displayName() + ") in " + dir);
    System.out.println("It refers to this checkout's build by absolute paths: after moving the checkout, install it again.");
    if (target.prefix != null) {
      System.out.println("Jupyter finds it when " + target.prefix.resolve("share/jupyter") + " is on JUPYTER_PATH"
          + " or the prefix is Jupyter's own.");
    }
    return 0;
  }
}
