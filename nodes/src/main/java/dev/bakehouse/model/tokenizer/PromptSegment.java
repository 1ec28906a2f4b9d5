package dev.bakehouse.model.tokenizer;

import java.util.Objects;

/**
 * A piece of prompt text and its emphasis weight, as the emphasis parsers produce them. A1111's
 * {@code BREAK} keyword is the marker segment {@code ("BREAK", -1)}.
 */
public record PromptSegment(String text, double weight) {
    public static final PromptSegment BREAK = new PromptSegment("BREAK", -1.0);

    public PromptSegment {
        Objects.requireNonNull(text, "text");
    }

    public boolean isBreak() {
        return text.equals(BREAK.text) && weight == BREAK.weight;
    }
}
