package dev.bakehouse.lora.ops;

/** Step progress of a long LoRA operation: a node forwards it to the client, the CLI draws a bar. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> { };

    void step(long done, long total);
}
