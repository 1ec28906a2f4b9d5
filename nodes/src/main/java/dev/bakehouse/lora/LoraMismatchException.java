package dev.bakehouse.lora;

import java.util.List;

/** A LoRA whose modules do not all fit the model; lists every module that does not, nothing applied. */
public final class LoraMismatchException extends RuntimeException {
    private final List<String> problems;

    public LoraMismatchException(String lora, List<String> problems) {
        super("LoRA " + lora + " does not fit the model (" + problems.size() + " module(s), nothing applied):\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
