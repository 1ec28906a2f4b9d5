package dev.bakehouse.model.tokenizer;

import java.util.List;

/**
 * A prompt after emphasis parsing and chunking: the parsed segments, the content tokens with
 * their weights (BREAK markers skipped), the 77-wide rows the text encoder gets, and the
 * warnings a user should see (an {@code embedding:name} that no file has), in ComfyUI's words.
 */
public record WeightedPrompt(List<PromptSegment> segments, List<WeightedToken> tokens, TokenRows rows,
        List<String> warnings) {
    public WeightedPrompt {
        segments = List.copyOf(segments);
        tokens = List.copyOf(tokens);
        warnings = List.copyOf(warnings);
    }

    /** A prompt that gave no warnings. */
    public WeightedPrompt(List<PromptSegment> segments, List<WeightedToken> tokens, TokenRows rows) {
        this(segments, tokens, rows, List.of());
    }
}
