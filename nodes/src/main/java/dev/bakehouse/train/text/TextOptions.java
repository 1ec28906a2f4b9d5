package dev.bakehouse.train.text;

import dev.bakehouse.model.tokenizer.ClipTokenizer;
import java.util.OptionalInt;

/**
 * kohya's text-encoder options, validated at the boundary.
 *
 * @param maxTokenLength {@code --max_token_length}: empty (75 tokens, one row), 150 or 225; 75 is
 *                       accepted as the same as empty (kohya's argparse allows only None, 150, 225)
 * @param clipSkip       {@code --clip_skip}: empty or 1 is the last layer's output, k the output k-1
 *                       layers earlier with the final layer norm applied
 */
public record TextOptions(OptionalInt maxTokenLength, OptionalInt clipSkip) {
    public TextOptions {
        if (maxTokenLength.isPresent()) {
            int n = maxTokenLength.getAsInt();
            if (n != 75 && n != 150 && n != 225) {
                throw new IllegalArgumentException("--max_token_length must be 150 or 225 (or unset for 75), found " + n);
            }
        }
        if (clipSkip.isPresent() && clipSkip.getAsInt() < 1) {
            throw new IllegalArgumentException("--clip_skip must be >= 1 (1 = the last layer), found " + clipSkip.getAsInt());
        }
    }

    public static TextOptions defaults() {
        return new TextOptions(OptionalInt.empty(), OptionalInt.empty());
    }

    /** Prompt tokens kept (BOS and EOS excluded): 75, 150 or 225. */
    public int tokenLength() {
        return maxTokenLength.orElse(ClipTokenizer.CHUNK_TOKENS);
    }

    /** The clip_skip to hand the text model: 1 when unset (kohya's None gives the same states). */
    public int clipSkipOrLast() {
        return clipSkip.orElse(1);
    }
}
