package dev.bakehouse.model.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The CLIP ViT-L/14 BPE tokenizer of SD 1.x: text in, token ids out (no BOS/EOS; rows are built by
 * {@link KohyaRows}, {@link A1111Prompt} and {@link ComfyPrompt}).
 *
 * <p>Thread-safe; the vocabulary is read once by {@link #load}.
 */
public final class ClipTokenizer {
    public static final int BOS = 49406;
    public static final int EOS = 49407;
    /** SD 1.x pads rows with EOS (SD 2.x would pad with 0). */
    public static final int PAD_SD1 = EOS;
    public static final int COMMA = 267;
    /** Content slots of one 77-wide row: BOS, 75 tokens, EOS. */
    public static final int CHUNK_TOKENS = 75;
    public static final int ROW_WIDTH = CHUNK_TOKENS + 2;

    private final ClipBpe bpe;

    private ClipTokenizer(ClipBpe bpe) {
        this.bpe = bpe;
    }

    /** Reads {@code vocab.json} and {@code merges.txt}; errors name the file and what was wrong. */
    public static ClipTokenizer load(TokenizerFiles files) {
        ClipBpe bpe = ClipBpe.load(files);
        if (bpe.idOf(ClipPreTokenizer.START_OF_TEXT) != BOS || bpe.idOf(ClipPreTokenizer.END_OF_TEXT) != EOS) {
            throw new IllegalArgumentException(files.vocab() + ": expected " + ClipPreTokenizer.START_OF_TEXT + "="
                    + BOS + " and " + ClipPreTokenizer.END_OF_TEXT + "=" + EOS + ", found "
                    + bpe.idOf(ClipPreTokenizer.START_OF_TEXT) + " and " + bpe.idOf(ClipPreTokenizer.END_OF_TEXT)
                    + " (not the SD 1.x CLIP vocabulary)");
        }
        return new ClipTokenizer(bpe);
    }

    /** Ids as OpenAI's {@code simple_tokenizer} gives them (without ftfy). */
    public int[] encode(String text) {
        return encode(text, TextNormalization.OPENAI);
    }

    public int[] encode(String text, TextNormalization normalization) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (String preToken : preTokens(text, normalization)) {
            int[] ids = bpe.encodeWord(preToken);
            parts.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] ids : parts) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        return out;
    }

    /** The cleaned text the split regex sees. */
    public String clean(String text, TextNormalization normalization) {
        return normalization.clean(text);
    }

    /** The pre-tokens (regex split of the cleaned text). */
    public List<String> preTokens(String text, TextNormalization normalization) {
        return ClipPreTokenizer.split(normalization.clean(text));
    }

    /** Vocabulary strings of {@code ids} (byte symbols, {@code </w>} marks a word end). */
    public List<String> tokenStrings(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(bpe.tokenOf(id));
        }
        return out;
    }

    /** Text of {@code ids}: pre-tokens separated by spaces, not the original spacing. */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            symbols.append(bpe.tokenOf(id));
        }
        return ByteSymbols.decode(symbols).replace(ClipBpe.END_OF_WORD, " ");
    }

    public int vocabSize() {
        return bpe.vocabSize();
    }
}
