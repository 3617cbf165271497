package org.tuninglab.parallel;

/** How a node's GPUs reach each other. */
public enum Link {
  /** NVIDIA's GPU-to-GPU link (through NVSwitch on 4- and 8-GPU boards). */
  NVLINK,
  /** Through the host's PCI Express bus. */
  PCIE;

  public String label() {
    return this == NVLINK ? "NVLink" : "PCIe";
  }
}
