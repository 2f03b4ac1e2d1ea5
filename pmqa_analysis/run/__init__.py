"""Running: the prepare step, the batch of unit reports, the kernel runner, the run manifest."""
