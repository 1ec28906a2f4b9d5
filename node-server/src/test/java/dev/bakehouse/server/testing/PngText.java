package dev.bakehouse.server.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the tEXt chunks of a PNG (keyword → text), in file order. */
public final class PngText {
    private PngText() {}

    public static Map<String, String> read(byte[] png) {
        Map<String, String> chunks = new LinkedHashMap<>();
        ByteBuffer buffer = ByteBuffer.wrap(png);
        buffer.position(8); // signature
        while (buffer.remaining() >= 12) {
            int length = buffer.getInt();
            byte[] type = new byte[4];
            buffer.get(type);
            byte[] data = new byte[length];
            buffer.get(data);
            buffer.getInt(); // CRC
            if ("tEXt".equals(new String(type, StandardCharsets.ISO_8859_1))) {
                String text = new String(data, StandardCharsets.ISO_8859_1);
                int zero = text.indexOf('\0');
                chunks.put(text.substring(0, zero), text.substring(zero + 1));
            }
        }
        return chunks;
    }
}
