package dev.bakehouse.train.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {
    @TempDir
    Path dir;

    private static TrainingLog.StepRecord row(long step, double loss, double val) {
        return new TrainingLog.StepRecord(step, 1, loss, loss / 2, new double[] {1e-4, 5e-5}, null, val, val / 4);
    }

    @Test
    void rows_haveKohyaColumnNames_andEmptyFieldsForMissingValues() throws Exception {
        Path csv = dir.resolve("log.csv");
        try (TrainingLog log = TrainingLog.open(csv, List.of("unet", "textencoder"), false, 0)) {
            log.append(row(1, 0.25, Double.NaN));
            log.append(row(2, 0.125, 0.5));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,epoch,loss,avr_loss,lr/unet,lr/textencoder,val_loss,val_avr_loss", lines.get(0));
        assertEquals("1,1,0.25000000,0.12500000,0.00010000000,5.0000000e-05,,", lines.get(1));
        assertTrue(lines.get(2).endsWith(",0.50000000,0.12500000"), lines.get(2));
    }

    @Test
    void resume_dropsRowsAfterTheResumedStep_andKeepsEarlierOnes() throws Exception {
        Path csv = dir.resolve("log.csv");
        try (TrainingLog log = TrainingLog.open(csv, List.of("unet", "textencoder"), false, 0)) {
            for (int s = 1; s <= 5; s++) {
                log.append(row(s, s, Double.NaN));
            }
        }
        try (TrainingLog log = TrainingLog.open(csv, List.of("unet", "textencoder"), false, 3)) {
            assertEquals(3, log.records().size());
            assertTrue(Double.isNaN(log.records().get(2).validationAverage()));
            log.append(row(4, 40, Double.NaN));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(5, lines.size());
        assertTrue(lines.get(4).startsWith("4,1,40.000000,"));
    }

    @Test
    void resume_withOtherColumns_failsNamingTheFile() throws Exception {
        Path csv = dir.resolve("log.csv");
        try (TrainingLog log = TrainingLog.open(csv, List.of("unet"), false, 0)) {
            log.append(new TrainingLog.StepRecord(1, 1, 1, 1, new double[] {1e-4}, null, Double.NaN));
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> TrainingLog.open(csv, List.of("unet", "textencoder"), false, 1));
        assertTrue(e.getMessage().contains("log.csv"), e.getMessage());
    }

    @Test
    void append_withWrongLrCount_isRejected() {
        try (TrainingLog log = TrainingLog.open(dir.resolve("l.csv"), List.of("unet", "textencoder"), true, 0)) {
            assertThrows(IllegalArgumentException.class, () -> log.append(row(1, 1, Double.NaN)));
        }
    }

    @Test
    void chart_drawsTheAverageLineInItsColour() {
        List<TrainingLog.StepRecord> rows = new java.util.ArrayList<>();
        for (int s = 1; s <= 50; s++) {
            rows.add(new TrainingLog.StepRecord(s, 1, 1.0 / s, 1.0 / Math.sqrt(s), new double[] {1e-4 * s / 50},
                    null, s % 10 == 0 ? 0.3 : Double.NaN));
        }
        BufferedImage image = LossChart.render("kiki", List.of("unet"), rows, 640, 360);
        assertEquals(640, image.getWidth());
        assertEquals(360, image.getHeight());
        int averagePixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == 0x1446A0) {
                    averagePixels++;
                }
            }
        }
        assertTrue(averagePixels > 200, "average line pixels: " + averagePixels);
    }
}
