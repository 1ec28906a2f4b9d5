package dev.bakehouse.model.tokenizer;

import java.util.List;

/**
 * A prompt after emphasis parsing and chunking: the parsed segments, the content tokens with
 * their weights (BREAK markers skipped), and the 77-wide rows the text encoder gets.
 */
public record WeightedPrompt(List<PromptSegment> segments, List<WeightedToken> tokens, TokenRows rows) {
    public WeightedPrompt {
        segments = List.copyOf(segments);
        tokens = List.copyOf(tokens);
    }
}
