/** The command-line verbs behind {@code ./tuninglab}: thin wrappers that call the library and print. */
package org.tuninglab.cli;
