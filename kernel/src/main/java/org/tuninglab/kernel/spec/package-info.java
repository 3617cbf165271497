/** Kernelspecs: the {@code kernel.json} that tells Jupyter how to start the Java kernel, and where it goes. */
package org.tuninglab.kernel.spec;
