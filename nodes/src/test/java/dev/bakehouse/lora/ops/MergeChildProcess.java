package dev.bakehouse.lora.ops;

import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.tensor.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The child of {@link CheckpointMergeKillTest}: merges a LoRA into a checkpoint and, when tensor
 * {@code pauseAt} is about to be written, prints {@value #PAUSED} and blocks reading stdin, so the
 * parent kills it at a known point in the middle of the write. Arguments: checkpoint, LoRA,
 * target, pauseAt.
 */
public final class MergeChildProcess {
    static final String PAUSED = "paused mid-merge";

    private MergeChildProcess() {}

    public static void main(String[] args) throws Exception {
        long pauseAt = Long.parseLong(args[3]);
        Progress pause = (done, total) -> {
            if (done == pauseAt) {
                System.out.println(PAUSED);
                System.out.flush();
                try {
                    System.in.read(); // the parent never writes: it kills this process here
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        try (SafetensorsFile ckpt = SafetensorsFile.open(Path.of(args[0]))) {
            CheckpointMerge.Source lora = new CheckpointMerge.Source("lora", LoraReader.read(Path.of(args[1])), 1f, null);
            CheckpointMerge.merge(ckpt, List.of(lora), Path.of(args[2]), null, Map.of(), pause);
        }
    }
}
