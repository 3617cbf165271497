package org.tuninglab.kernel;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell the kernel's one {@link InProcessExecutionControl}. */
final class InProcessEngine implements ExecutionControlProvider {

  private final InProcessExecutionControl control;

  InProcessEngine(InProcessExecutionControl control) {
    this.control = control;
  }

  @Override
  public String name() {
    return "tuninglab-in-process";
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    return control;
  }
}
