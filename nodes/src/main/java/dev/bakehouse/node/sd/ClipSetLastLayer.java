package dev.bakehouse.node.sd;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;

/**
 * ComfyUI's {@code CLIPSetLastLayer}: the conditioning comes from an earlier text encoder layer
 * (-2 is A1111's "clip skip 2"). Returns a new CLIP view; the loaded model is untouched.
 */
public final class ClipSetLastLayer implements Node {
    public static final String NAME = "CLIPSetLastLayer";
    /** CLIP ViT-L has 12 layers, OpenCLIP ViT-H 24: ComfyUI's range covers both. */
    private static final int DEEPEST = -24;

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("CLIP Set Last Layer")
            .category("conditioning")
            .required(SocketInput.of("clip", DataType.CLIP),
                    IntInput.of("stop_at_clip_layer", -1, DEEPEST, -1))
            .output(DataType.CLIP)
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ClipValue clip = inputs.get("clip", ClipValue.class);
        return NodeResult.of(clip.withStopAtLayer(inputs.getInt("stop_at_clip_layer")));
    }
}
