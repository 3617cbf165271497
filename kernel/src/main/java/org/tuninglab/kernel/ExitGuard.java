package org.tuninglab.kernel;

import java.security.Permission;

/**
 * Refuses {@code System.exit} and {@code Runtime.halt} called from a cell (or a thread a cell
 * started): in this kernel cells run inside the kernel's JVM, so an exit would end the kernel
 * silently, with no reply. Every other permission is granted, as without a security manager.
 *
 * <p>Installed with {@code System.setSecurityManager}, which JDK 17 allows (with a warning on
 * the kernel's stderr); JDK 18 to 23 need {@code -Djava.security.manager=allow} in the
 * kernelspec; JDK 24 removed the mechanism, and there exits are not guarded.
 */
final class ExitGuard extends SecurityManager {

  private static final InheritableThreadLocal<Boolean> CELL_THREAD = new InheritableThreadLocal<>();

  private ExitGuard() {}

  /** Installs the guard; returns why it could not be, or {@code null}. */
  @SuppressWarnings({"deprecation", "removal"})
  static String install() {
    try {
      System.setSecurityManager(new ExitGuard());
      return null;
    } catch (UnsupportedOperationException | SecurityException e) {
      return "System.exit in a cell is not guarded on this JDK (" + Runtime.version()
          + "): add -Djava.security.manager=allow to the kernelspec's argv (JDK 18-23) or use JDK 17";
    }
  }

  /** Marks the current thread, and the threads it starts from now on, as running cell code. */
  static void markCellThread() {
    CELL_THREAD.set(Boolean.TRUE);
  }

  @Override
  public void checkExit(int status) {
    if (CELL_THREAD.get() != null) {
      throw new ExitRefusedException(status);
    }
  }

  @Override
  public void checkPermission(Permission permission) {
    // Everything else is allowed: the guard is about exits only.
  }

  @Override
  public void checkPermission(Permission permission, Object context) {
    // As above.
  }
}
