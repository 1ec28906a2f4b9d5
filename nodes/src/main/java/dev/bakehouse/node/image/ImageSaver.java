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

/** Writes an image batch as numbered PNGs with prompt/workflow chunks; shared by save and preview. */
final class ImageSaver {
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
        ctx.checkInterrupted();
        SaveTarget target = SaveTarget.resolve(area, prefix, images.width(), images.height(),
                ZonedDateTime.now(ctx.clock()));
        Map<String, String> text = PngMetadataJson.chunks(ctx.prompt(), ctx.extraPngInfo());
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
