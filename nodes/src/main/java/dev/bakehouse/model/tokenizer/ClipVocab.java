package dev.bakehouse.model.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds CLIP's {@code vocab.json} from its merges, the way OpenAI's {@code simple_tokenizer}
 * does: the 256 byte symbols (ids 0..255), the same with {@code </w>} (256..511), the result of
 * merge rule r (512 + r), then {@code <|startoftext|>} and {@code <|endoftext|>}.
 */
final class ClipVocab {
    private ClipVocab() {}

    /** Token string to id; {@code merges} are the used merge pairs in rank order. */
    static Map<String, Integer> derive(List<String[]> merges) {
        char[] alphabet = ByteSymbols.alphabet();
        Map<String, Integer> vocab = new HashMap<>(2 * (2 * alphabet.length + merges.size() + 2));
        int id = 0;
        for (char symbol : alphabet) {
            vocab.put(String.valueOf(symbol), id++);
        }
        for (char symbol : alphabet) {
            vocab.put(symbol + ClipBpe.END_OF_WORD, id++);
        }
        for (String[] pair : merges) {
            // put() keeps the last id of a repeated string, as Python's dict(zip(vocab, range(...))).
            vocab.put(pair[0] + pair[1], id++);
        }
        vocab.put(ClipPreTokenizer.START_OF_TEXT, id++);
        vocab.put(ClipPreTokenizer.END_OF_TEXT, id);
        return vocab;
    }
}
