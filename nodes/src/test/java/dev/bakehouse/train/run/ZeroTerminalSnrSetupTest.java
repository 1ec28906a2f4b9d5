package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.data.BadInputPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroTerminalSnrSetupTest {
    @TempDir
    Path dir;

    @Test
    void zeroTerminalSnr_givesTheTrainerTheRescaledSchedule_andWarnsWithoutVParameterization() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "1_kiki", 1);
        TrainNetworkArgs eps = TinyTrainingRun.args(data, dir.resolve("out"), "--zero_terminal_snr");
        assertEquals(0.0, TrainingSetup.resolve(eps, BadInputPolicy.STOP, 7).noiseSchedule().alphaCumprod(999));
        assertTrue(eps.notes().stream().anyMatch(n -> n.startsWith("--zero_terminal_snr is enabled, but --v_parameterization is not")),
                eps.notes()::toString);
        TrainNetworkArgs v = TinyTrainingRun.args(data, dir.resolve("out"), "--zero_terminal_snr", "--v_parameterization");
        assertTrue(v.notes().stream().noneMatch(n -> n.startsWith("--zero_terminal_snr")), v.notes()::toString);
        TrainNetworkArgs plain = TinyTrainingRun.args(data, dir.resolve("out"));
        assertTrue(TrainingSetup.resolve(plain, BadInputPolicy.STOP, 7).noiseSchedule().alphaCumprod(999) > 0.004);
    }
}
