package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run with LoRA+ logs its plus groups at lr x ratio and records the ratio where kohya does. */
class LoraPlusTrainingTest {
    @TempDir
    static Path shared;
    @TempDir
    Path out;
    private static TinyTrainingRun tiny;

    @BeforeAll
    static void open() throws Exception {
        tiny = new TinyTrainingRun();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    @Test
    void loraplusRun_logsPlusGroupsAtLrTimesRatio_andWritesTheRatioToSsNetworkArgs() throws Exception {
        Path data = TinyTrainingRun.dataset(shared.resolve("data"), "1_kiki", 2);
        LoraTrainer.Result r = tiny.train(TinyTrainingRun.args(data, out, "--max_train_steps=2", "--unet_lr=1e-4",
                "--text_encoder_lr=5e-5", "--network_args", "loraplus_lr_ratio=16"), new RecordingListener(), () -> false);
        List<String> csv = Files.readAllLines(r.log());
        assertEquals("step,epoch,loss,avr_loss,lr/textencoder,lr/textencoder plus,lr/unet,lr/unet plus,val_loss,val_avr_loss",
                csv.get(0));
        String[] row = csv.get(2).split(",", -1);
        assertEquals(5e-5, Double.parseDouble(row[4]), 1e-12);
        assertEquals(8e-4, Double.parseDouble(row[5]), 1e-12);
        assertEquals(1e-4, Double.parseDouble(row[6]), 1e-12);
        assertEquals(1.6e-3, Double.parseDouble(row[7]), 1e-12);
        String args = LoraReader.read(r.last()).metadata().get("ss_network_args");
        assertEquals("{\"loraplus_lr_ratio\": \"16\"}", args);
    }
}
