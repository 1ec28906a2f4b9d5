package dev.bakehouse.tensor;

import dev.bakehouse.tensor.ckpt.CkptFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens any tensor file we read, choosing the format by its first bytes, not its name. */
public final class TensorFiles {
    private TensorFiles() {}

    /** The on-disk formats. */
    public enum Format { SAFETENSORS, CKPT }

    /** A safetensors file or a PyTorch checkpoint ({@code .ckpt}, {@code .pt}, {@code .pth}, {@code .bin}). */
    public static TensorSource open(Path path) throws TensorFileException {
        return switch (detect(path)) {
            case SAFETENSORS -> SafetensorsFile.open(path);
            case CKPT -> CkptFile.open(path);
        };
    }

    /**
     * A safetensors file starts with a little-endian header length and then '{'; that is checked
     * first, because a header length such as 640 begins with the bytes 0x80 0x02 of a pickle. A
     * zip archive or a pickle stream is a checkpoint; anything else is handed to the safetensors
     * reader, whose error then says what is wrong.
     */
    public static Format detect(Path path) throws TensorFileException {
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new TensorFileException(path, null, "file not found");
        } catch (IOException e) {
            throw new TensorFileException(path, null, "cannot read: " + e.getMessage(), e);
        }
        if (n == 9 && head[8] == '{') {
            return Format.SAFETENSORS;
        }
        boolean zip = n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean pickle = n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
        return zip || pickle ? Format.CKPT : Format.SAFETENSORS;
    }
}
