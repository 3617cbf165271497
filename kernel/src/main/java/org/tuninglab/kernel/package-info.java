/**
 * A JShell-based Jupyter kernel for Java built on {@code jjava-jupyter}: user code runs in
 * the kernel's own JVM so the objects it returns reach the display system.
 */
package org.tuninglab.kernel;
