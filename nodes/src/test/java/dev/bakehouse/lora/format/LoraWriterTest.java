package dev.bakehouse.lora.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraWriterTest {

    @TempDir
    Path dir;

    @Test
    void roundTrip_keepsEveryTensorAndTheMetadata() throws Exception {
        LoraNetwork n = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        Path f = dir.resolve("copy.safetensors");
        LoraWriter.write(n, f, null, true);
        LoraNetwork back = LoraReader.read(f);
        assertEquals(n.modules(), back.modules());
        assertEquals(n.metadata().get("ss_network_args"), back.metadata().get("ss_network_args"));
    }

    @Test
    void sshsModelHash_equalsTheOneSdScriptsWroteIntoTheFixture() throws Exception {
        LoraNetwork n = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        Map<String, String> meta = new LinkedHashMap<>(n.metadata());
        String expected = meta.remove("sshs_model_hash");
        Path f = dir.resolve("rehashed.safetensors");
        LoraWriter.write(new LoraNetwork(n.modules(), meta, List.of(), n.styles()), f, null, true);
        LoraNetwork back = LoraReader.read(f);
        assertEquals(expected, back.metadata().get("sshs_model_hash"));
    }

    @Test
    void sshsLegacyHash_isTheWindowAtOneMebibyteOfTheSsOnlyFile() throws Exception {
        LoraNetwork n = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        Map<String, String> ssOnly = new LinkedHashMap<>();
        n.metadata().forEach((k, v) -> {
            if (k.startsWith("ss_")) {
                ssOnly.put(k, v);
            }
        });
        Path plain = dir.resolve("ss-only.safetensors");
        LoraWriter.write(new LoraNetwork(n.modules(), ssOnly, List.of(), n.styles()), plain, DType.F32, false);
        byte[] bytes = Files.readAllBytes(plain);
        assertTrue(bytes.length > 0x110000, "the fixture is large enough for a full window: " + bytes.length);
        byte[] window = Arrays.copyOfRange(bytes, 0x100000, 0x110000);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(window)).substring(0, 8);

        Map<String, String> withUserMeta = new LinkedHashMap<>(n.metadata());
        withUserMeta.put("modelspec.title", "renamed by the user");
        Path hashed = dir.resolve("hashed.safetensors");
        LoraWriter.write(new LoraNetwork(n.modules(), withUserMeta, List.of(), n.styles()), hashed, DType.F32, true);
        assertEquals(expected, LoraReader.read(hashed).metadata().get("sshs_legacy_hash"), "user metadata does not change the hash");

        // An fp16 save is shorter than 1 MiB: Python's read past the end yields no bytes, so the hash is sha256("").
        Path small = dir.resolve("fp16.safetensors");
        LoraWriter.write(n, small, DType.F16, true);
        LoraNetwork back = LoraReader.read(small);
        assertEquals("e3b0c442", back.metadata().get("sshs_legacy_hash"));
        assertEquals(DType.F16, back.module("lora_te_text_model_encoder_layers_0_mlp_fc1").tensor("alpha").orElseThrow().dtype());
    }
}
