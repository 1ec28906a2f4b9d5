package dev.bakehouse.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.Optional;

/**
 * Where a model computes: {@code cpu} (the default) or {@code cuda} / {@code cuda:N}, as the CLI's
 * {@code --device} spells it. Models compute in float32 either way (fp16 weights are widened at load).
 */
public record ComputeDevice(String name, int index) {
    public static final ComputeDevice CPU = new ComputeDevice("cpu", -1);

    public ComputeDevice {
        if (!name.equals("cpu") && !name.equals("cuda")) {
            throw new IllegalArgumentException("device must be cpu or cuda[:N], got " + name);
        }
    }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:N} (also {@code gpu}, {@code gpu:N}). */
    public static ComputeDevice parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) {
            return CPU;
        }
        String[] parts = t.split(":", 2);
        if (!parts[0].equals("cuda") && !parts[0].equals("gpu")) {
            throw new IllegalArgumentException("--device: expected cpu, cuda or cuda:N, got '" + text + "'");
        }
        int index = 0;
        if (parts.length == 2) {
            try {
                index = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--device: '" + parts[1] + "' is not a GPU index in '" + text + "'");
            }
        }
        return new ComputeDevice("cuda", index);
    }

    /** The DJL device; fails with a clear message when the engine sees no such GPU. */
    public Device toDjl() {
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (index >= gpus) {
            throw new IllegalStateException("--device " + this + ": the PyTorch engine sees " + gpus
                    + " GPU(s) (the bundled libtorch is CPU-only unless a CUDA libtorch is configured)");
        }
        return Device.gpu(index);
    }

    /**
     * Fails when this is a CUDA device the machine does not have, asking the CUDA runtime (not
     * libtorch): with a CUDA flavour requested and no GPU, loading the engine would first try to
     * download a CUDA libtorch, and then fail with a message about that download.
     */
    public void requireAvailable() {
        if (name.equals("cpu")) {
            return;
        }
        int gpus = CudaUtils.getGpuCount();
        if (index >= gpus) {
            throw new IllegalStateException("--device " + this + ": no CUDA device " + index + " on this machine ("
                    + (CudaUtils.hasCuda() ? "the CUDA runtime reports " + gpus + " GPU(s)" : "no usable CUDA runtime")
                    + "); use --device cpu");
        }
    }

    /** Device memory in bytes, as CUDA's {@code cudaMemGetInfo} reports it for the whole GPU. */
    public record Memory(long total, long free) {}

    /** This GPU's memory; empty on CPU, where the system RAM is the device's memory. */
    public Optional<Memory> memory() {
        if (name.equals("cpu")) {
            return Optional.empty();
        }
        MemoryUsage usage = CudaUtils.getGpuMemory(Device.gpu(index)); // used = total - free
        return Optional.of(new Memory(usage.getMax(), usage.getMax() - usage.getUsed()));
    }

    @Override
    public String toString() {
        return name.equals("cpu") ? "cpu" : "cuda:" + index;
    }
}
