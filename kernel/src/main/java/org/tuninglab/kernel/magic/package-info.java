/** The kernel's magics: {@code %classpath}, {@code %maven}, {@code %load}, {@code %time}/{@code %%time}. */
package org.tuninglab.kernel.magic;
