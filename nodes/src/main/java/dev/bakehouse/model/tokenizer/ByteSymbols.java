package dev.bakehouse.model.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2/CLIP byte-level alphabet: every byte is one printable character, so BPE can work on
 * strings. Bytes 0x21-0x7E, 0xA1-0xAC and 0xAE-0xFF stand for themselves; the other 68 bytes, in
 * increasing order, become U+0100, U+0101, ...
 */
final class ByteSymbols {
    private static final char[] SYMBOL_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_SYMBOL = new int[0x100 + 68];

    static {
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            char symbol = (char) (printable ? b : next++);
            SYMBOL_OF_BYTE[b] = symbol;
            BYTE_OF_SYMBOL[symbol] = b;
        }
    }

    private ByteSymbols() {}

    /** The 256 symbols in vocabulary order (ids 0..255). */
    static char[] alphabet() {
        char[] order = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (SYMBOL_OF_BYTE[b] == b) {
                order[n++] = (char) b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (SYMBOL_OF_BYTE[b] != b) {
                order[n++] = SYMBOL_OF_BYTE[b];
            }
        }
        return order;
    }

    /** UTF-8 bytes of {@code text}, each replaced by its symbol. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = SYMBOL_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** Symbols back to bytes, decoded as UTF-8 with U+FFFD for broken sequences. */
    static String decode(CharSequence symbols) {
        byte[] bytes = new byte[symbols.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = symbols.charAt(i);
            if (c >= BYTE_OF_SYMBOL.length || SYMBOL_OF_BYTE[BYTE_OF_SYMBOL[c]] != c) {
                throw new IllegalArgumentException("not a byte symbol: U+" + Integer.toHexString(c));
            }
            bytes[i] = (byte) BYTE_OF_SYMBOL[c];
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 decoding with replacement cannot fail", e);
        }
    }
}
