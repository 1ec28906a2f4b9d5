package dev.bakehouse.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplePromptsTest {
    @TempDir
    Path dir;

    @Test
    void textLine_readsKohyaOptions_andSkipsComments() throws Exception {
        Path txt = dir.resolve("p.txt");
        Files.writeString(txt, """
                # a comment
                masterpiece, 1girl --n low quality, worst quality --w 768 --H 640 --d 1 --l 7.5 --s 2000 --ss euler_a

                a cat
                """);
        List<SamplePrompt> prompts = SamplePrompts.read(txt);
        assertEquals(2, prompts.size());
        assertEquals(new SamplePrompt(0, "masterpiece, 1girl", "low quality, worst quality", 768, 640, 1000, 7.5,
                Optional.of(1L), Optional.of("euler_a")), prompts.get(0));
        assertEquals(new SamplePrompt(1, "a cat", "", 512, 512, 30, 7.5, Optional.empty(), Optional.empty()), prompts.get(1));
    }

    @Test
    void tomlAndJson_giveTheSamePrompts() throws Exception {
        Path toml = dir.resolve("p.toml");
        Files.writeString(toml, """
                [prompt]
                negative_prompt = "bad"
                width = 640
                sample_steps = 20
                [[prompt.subset]]
                prompt = "a cat"
                seed = 3
                [[prompt.subset]]
                prompt = "a dog"
                scale = 5.0
                """);
        Path json = dir.resolve("p.json");
        Files.writeString(json, """
                [{"prompt": "a cat", "negative_prompt": "bad", "width": 640, "sample_steps": 20, "seed": 3},
                 "a dog --n bad --w 640 --s 20 --l 5.0"]
                """);
        assertEquals(SamplePrompts.read(toml), SamplePrompts.read(json));
        assertEquals(640, SamplePrompts.read(toml).get(1).width());
    }
}
