package dev.bakehouse.lora.lbw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.model.tokenizer.ExtraNetworkTags;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoraPromptTagTest {
    private static LoraPromptTag.Resolved resolve(String tag) {
        List<ExtraNetworkTags.Tag> tags = ExtraNetworkTags.parse(tag).tags();
        assertEquals(1, tags.size(), tag);
        return LoraPromptTag.parse(tags.get(0)).resolve(LbwPresets.builtIn(), new SplittableRandom(1));
    }

    private static String message(String tag) {
        return assertThrows(IllegalArgumentException.class, () -> resolve(tag)).getMessage();
    }

    @Test
    void parse_promptWithTags_removesThemAndKeepsTheText() {
        ExtraNetworkTags.Parsed p = ExtraNetworkTags.parse("1girl, <lora:m4_carbine:0.8:NCNF>, smile <lyco:x:1> <hypernet:h:1>");
        assertEquals("1girl, , smile  ", p.prompt());
        assertEquals(List.of("lora", "lyco", "hypernet"), p.tags().stream().map(ExtraNetworkTags.Tag::type).toList());
        assertEquals(List.of("m4_carbine", "0.8", "NCNF"), p.tags().get(0).items());
        assertEquals("no tags", ExtraNetworkTags.parse("no tags").prompt());
    }

    @Test
    void resolve_everySyntaxForTheSameApplication_givesTheSameResult() {
        LoraPromptTag.Resolved want = resolve("<lora:style:0.8:lbw=OUTD>");
        assertEquals(new LoraPromptTag.Resolved("style", 0.8f, 0.8f, LbwPresets.builtIn().blockWeights("OUTD", "t")), want);
        for (String same : List.of("<lora:style:0.8:OUTD>", "<lora:style:0.8:w=OUTD>", "<lora:style:0.8:0.8:lbw=OUTD>",
                "<lora:style:te=0.8:lbw=OUTD>", "<lora:style:lbw=OUTD:0.8>", "<lora:style:0.8:lbw=outd>",
                "<lora:style:0.8:lbw=1,0,0,0,0,0,0,0,1,1,1,1,0,0,0,0,0>", "<lora:style:0.8:1,0,0,0,0,0,0,0,1,1,1,1,0,0,0,0,0>",
                "<lora:style:0.8:lbw=1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,0,0,0,0,0>",
                "<lyco:style:0.8:lbw=OUTD>", "<lora:style:0.8:lbw=X,0,0,0,0,0,0,0,X,X,X,X,0,0,0,0,0:x=1>",
                "<lora:style:0.8:lbw=X-1,0,0,0,0,0,0,0,X-1,X-1,X-1,X-1,0,0,0,0,0:x=2>")) {
            assertEquals(want, resolve(same), same);
        }
    }

    @Test
    void resolve_multipliers_followA1111_teThenUnet_unetDefaultsToTe() {
        LoraPromptTag.Resolved plain = resolve("<lora:a>");
        assertEquals(1f, plain.te());
        assertEquals(1f, plain.unet());
        assertNull(plain.blockWeights());
        LoraPromptTag.Resolved both = resolve("<lora:a:0.5:0.25>");
        assertEquals(0.5f, both.te());
        assertEquals(0.25f, both.unet());
        LoraPromptTag.Resolved named = resolve("<lora:a:0.5:unet=-1:te=0.3>");
        assertEquals(0.3f, named.te());
        assertEquals(-1f, named.unet());
        LoraPromptTag.Resolved withX = resolve("<lora:a:1:X,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,X+0.5:0.2>");
        assertEquals(0.2f, withX.blockWeights().ratio(LbwBlock.BASE), 1e-6);
        assertEquals(0.7f, withX.blockWeights().ratio(LbwBlock.OUT11), 1e-6);
    }

    @Test
    void parse_itemsBakehouseCannotHonour_areRefusedWithTheReason() {
        assertTrue(message("<lora:a:1:lbw=OUTD:start=10>").contains("'start=10': switching a LoRA on at a step"));
        assertTrue(message("<lora:a:1:lbw=OUTD:stop=10>").contains("stop=10"));
        assertTrue(message("<lora:a:1:lbwe=ATTNDEEPON>").contains("elemental"));
        assertTrue(message("<lora:a:1:1:8>").contains("DyLoRA"));
        assertTrue(message("<lora:a:1:foo=2>").contains("unknown item 'foo=2'"));
        assertTrue(message("<lora:a:x1>").contains("text encoder multiplier 'x1' is not a number"));
        assertTrue(message("<lora:a:1:OUTD:lbw=INS>").contains("lbw= already sets"));
        assertTrue(message("<lora:a:1:NCNF>").contains("'NCNF' is not a block weight preset"));
        assertTrue(message("<lora: :1>").contains("no LoRA name"));
    }
}
