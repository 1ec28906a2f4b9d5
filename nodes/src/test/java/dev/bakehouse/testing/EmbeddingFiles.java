package dev.bakehouse.testing;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.ElementCodec;
import dev.bakehouse.tensor.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipOutputStream;

/**
 * Writes textual-inversion embedding files as the tools users have write them: safetensors
 * ({@code emb_params}, SDXL's {@code clip_l}/{@code clip_g}) with the project's writer, and
 * {@code torch.save} zip archives whose pickle is built opcode by opcode (AUTOMATIC1111's
 * {@code string_to_param} dict, a plain {@code {"emb_params": tensor}}).
 */
public final class EmbeddingFiles {
    private EmbeddingFiles() {}

    /** One tensor of shape {@code shape} per name, F32. */
    public static Path safetensors(Path file, String name, long[] shape, float[] values) {
        return safetensors(file, new String[] {name}, new long[][] {shape}, new float[][] {values});
    }

    public static Path safetensors(Path file, String[] names, long[][] shapes, float[][] values) {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (int i = 0; i < names.length; i++) {
            writer.addFloats(names[i], DType.F32, shapes[i], values[i]);
        }
        try {
            writer.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * AUTOMATIC1111's layout ({@code textual_inversion.py} {@code Embedding.save}):
     * {@code {"string_to_token": {"*": 265}, "string_to_param": {"*": tensor}, "name", "step",
     * "sd_checkpoint", "sd_checkpoint_name"}}, the tensor saved with {@code requires_grad}.
     */
    public static Path a1111Pt(Path file, long[] shape, float[] values) {
        PickleBuilder p = new PickleBuilder().proto(2).emptyDict().mark();
        p.str("string_to_token").emptyDict().mark().str("*").integer(265).setitems();
        p.str("string_to_param").emptyDict().mark().str("*");
        tensor(p, shape, values.length, true);
        p.setitems();
        p.str("name").str("x").str("step").integer(1500).str("sd_checkpoint").str("a9e5ad1b")
                .str("sd_checkpoint_name").str("v1-5-pruned");
        return zip(file, p.setitems().stop().toBytes(), values);
    }

    /** {@code torch.save({"emb_params": tensor})}. */
    public static Path embParamsPt(Path file, long[] shape, float[] values) {
        PickleBuilder p = new PickleBuilder().proto(2).emptyDict().mark().str("emb_params");
        tensor(p, shape, values.length, false);
        return zip(file, p.setitems().stop().toBytes(), values);
    }

    /** {@code _rebuild_tensor_v2(storage '0', 0, shape, contiguous stride, requires_grad, OrderedDict())}. */
    private static void tensor(PickleBuilder p, long[] shape, int numel, boolean requiresGrad) {
        p.global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(numel).tuple()
                .binpersid().memoize();
        p.integer(0).mark();
        for (long d : shape) {
            p.integer(d);
        }
        p.tuple().mark();
        long stride = 1;
        long[] strides = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        for (long s : strides) {
            p.integer(s);
        }
        p.tuple().bool(requiresGrad).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    }

    private static Path zip(Path file, byte[] pickle, float[] storage) {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            CkptWriter.entry(zip, "archive/data.pkl", pickle, false);
            CkptWriter.entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII), false);
            CkptWriter.entry(zip, "archive/data/0", ElementCodec.encodeFloats(DType.F32, storage).array(), false);
            CkptWriter.entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
