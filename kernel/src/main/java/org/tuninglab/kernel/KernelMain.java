package org.tuninglab.kernel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/** Starts the kernel: {@code java ... org.tuninglab.kernel.KernelMain CONNECTION_FILE}. */
public final class KernelMain {

  private KernelMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it as {connection_file})");
      System.exit(2);
    }
    Path connectionFile = Path.of(args[0]);
    if (!Files.isReadable(connectionFile)) {
      System.err.println("Cannot read the connection file " + connectionFile.toAbsolutePath());
      System.exit(2);
    }
    // Kernel logs keep going to the real stderr while cells have System.err swapped.
    PrintStream log = System.err;
    KernelSettings settings;
    try {
      settings = KernelSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("tuninglab kernel: " + e.getMessage());
      System.exit(2);
      return;
    }
    KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
    JupyterConnection connection = settings.fastShellLoop() ? new FastJupyterConnection(props, settings.maxOutputLines()) : new JupyterConnection(props);
    TuningLabKernel kernel = TuningLabKernel.create(settings);
    kernel.becomeHandlerForConnection(connection);
    kernel.onStartup();
    ParentWatchdog.start(System.getenv("JPY_PARENT_PID"), () -> {
      log.println("tuninglab kernel: the Jupyter client is gone, exiting.");
      Runtime.getRuntime().halt(0);
    });
    connection.connect();
    connection.waitUntilClose();
    System.exit(0);
  }
}
