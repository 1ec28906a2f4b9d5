package dev.bakehouse.node.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.FileRef;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * Writes an image batch as numbered PNGs with prompt/workflow chunks; shared by save and preview,
 * and by nodes that save what they make with chunks of their own (SampleGrid's grid settings).
 */
public final class ImageSaver {
    private ImageSaver() {}

    /**
     * Saves every image of the batch and returns the UI output {@code {"images": [FileRef…]}}.
     *
     * @param area             the output or temp folder
     * @param type             {@code output} or {@code temp}, for the UI output
     * @param compressionLevel deflate level
     */
    static ObjectNode save(ImageBatch images, String prefix, Path area, String type,
                           int compressionLevel, NodeContext ctx) throws IOException {
        return save(images, prefix, area, type, compressionLevel, ctx, Map.of());
    }

    /**
     * As {@link #save(ImageBatch, String, Path, String, int, NodeContext)}, with more text chunks
     * after the prompt and workflow ones.
     *
     * @param extraText keyword → text, written after {@code prompt} and the {@code extra_pnginfo} keys
     */
    public static ObjectNode save(ImageBatch images, String prefix, Path area, String type,
                                  int compressionLevel, NodeContext ctx, Map<String, String> extraText)
            throws IOException {
        ctx.checkInterrupted();
        SaveTarget target = SaveTarget.resolve(area, prefix, images.width(), images.height(),
                ZonedDateTime.now(ctx.clock()));
        Map<String, String> text = PngMetadataJson.chunks(ctx.prompt(), ctx.extraPngInfo());
        text.putAll(extraText);
        ObjectNode ui = JsonNodeFactory.instance.objectNode();
        ArrayNode refs = ui.putArray("images");
        for (int b = 0; b < images.batch(); b++) {
            String file = target.fileName(b);
            PngFiles.write(Images.toBufferedImage(images, b), text, target.folder().resolve(file),
                    compressionLevel);
            refs.add(new FileRef(file, target.subfolder(), type).toJson());
        }
        return ui;
    }
}
