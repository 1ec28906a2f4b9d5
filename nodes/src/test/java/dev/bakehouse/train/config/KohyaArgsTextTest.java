package dev.bakehouse.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KohyaArgsTextTest {

    @Test
    void parse_shellScriptWithLauncherAndContinuations_readsTheOptions() {
        KohyaArgsText t = KohyaArgsText.parse("""
                # my run
                accelerate launch --num_cpu_threads_per_process=2 "./sd-scripts/train_network.py" \\
                  --network_dim 8 --network_args "conv_dim=4" "conv_alpha=1" \\
                  --caption_extension='.txt' --shuffle_caption
                """, "kohya_args");

        assertEquals(KohyaArgsText.Format.COMMAND_LINE, t.format());
        assertEquals(8, t.given().get("network_dim"));
        assertEquals(List.of("conv_dim=4", "conv_alpha=1"), t.given().get("network_args"));
        assertEquals(".txt", t.given().get("caption_extension"));
        assertEquals(true, t.given().get("shuffle_caption"));
    }

    @Test
    void parse_tomlWithSections_readsEveryKey() {
        KohyaArgsText t = KohyaArgsText.parse("""
                [network_arguments]
                network_dim = 16
                [optimizer_arguments]
                learning_rate = 1e-4
                unknown_key = 3
                """, "kohya_args");

        assertEquals(KohyaArgsText.Format.TOML, t.format());
        assertEquals(16, t.given().get("network_dim"));
        assertEquals(1e-4, t.given().get("learning_rate"));
        assertTrue(t.notes().get(0).contains("unknown_key"), t.notes().toString());
    }

    @Test
    void parse_kohyaSsJson_appliesTheGuiRenames() {
        KohyaArgsText t = KohyaArgsText.parse("{\"optimizer\": \"Lion\", \"max_resolution\": \"512,512\", "
                + "\"additional_parameters\": \"--min_snr_gamma=5\"}", "kohya_args");

        assertEquals(KohyaArgsText.Format.KOHYA_SS_JSON, t.format());
        assertEquals("Lion", t.given().get("optimizer_type"));
        assertEquals("512,512", t.given().get("resolution"));
        assertEquals(5.0, t.given().get("min_snr_gamma"));
    }

    @Test
    void parse_blank_setsNothing() {
        assertEquals(KohyaArgsText.Format.EMPTY, KohyaArgsText.parse("  \n", "kohya_args").format());
    }

    @Test
    void parse_errors_nameTheSourceAndTheProblem() {
        assertEquals("kohya_args: unclosed \" quote in: --output_name \"x ",
                assertThrows(ArgError.class, () -> KohyaArgsText.parse("--output_name \"x", "kohya_args")).getMessage());
        assertTrue(assertThrows(ArgError.class, () -> KohyaArgsText.parse("--config_file run.toml", "kohya_args"))
                .getMessage().contains("paste the config file's text"));
        assertTrue(assertThrows(ArgError.class, () -> KohyaArgsText.parse("{\"a\": ", "kohya_args"))
                .getMessage().startsWith("kohya_args: not valid JSON"));
        assertTrue(assertThrows(ArgError.class, () -> KohyaArgsText.parse("python run.py --x", "kohya_args"))
                .getMessage().contains("found 'python'"));
    }
}
