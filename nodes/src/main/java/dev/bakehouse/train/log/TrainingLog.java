package dev.bakehouse.train.log;

import dev.bakehouse.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The run's CSV log, one row per optimizer step: {@code step, epoch, loss, avr_loss}, the learning
 * rate of every param group ({@code lr/unet}, {@code lr/textencoder}, …, kohya's log names), the
 * D-Adaptation/Prodigy estimate {@code d*lr/<group>} when the optimizer has one, and
 * {@code val_loss} (the mean over the validation pass) and {@code val_avr_loss} (kohya's running
 * validation average, {@code loss/validation/step_average}) on the steps that ran a validation. Rows are appended and flushed as they come,
 * so a killed run keeps its log; a resumed run first drops the rows after the step it resumes from
 * (rewritten atomically), so the log reads as one uninterrupted run.
 */
public final class TrainingLog implements AutoCloseable {
    private final List<String> groups;
    private final boolean withD;
    private final List<StepRecord> records = new ArrayList<>();
    private final BufferedWriter out;

    /** One row. {@code lrs} and {@code ds} follow the group order; {@code ds} may be null; NaN = empty. */
    public record StepRecord(long step, int epoch, double loss, double averageLoss, double[] lrs, double[] ds,
                             double validationLoss, double validationAverage) {
        public StepRecord {
            Objects.requireNonNull(lrs, "lrs");
        }

        /** A row whose validation average is empty. */
        public StepRecord(long step, int epoch, double loss, double averageLoss, double[] lrs, double[] ds,
                          double validationLoss) {
            this(step, epoch, loss, averageLoss, lrs, ds, validationLoss, Double.NaN);
        }
    }

    private TrainingLog(Path file, List<String> groups, boolean withD, List<StepRecord> kept) throws IOException {
        this.groups = List.copyOf(groups);
        this.withD = withD;
        this.records.addAll(kept);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Creates the log, or continues one: rows after {@code resumeAfterStep} are dropped (pass 0 for
     * a fresh run, which starts an empty file).
     *
     * @param groups the param group names, in the order of {@link StepRecord#lrs()}
     * @param withD  whether the optimizer reports a D-Adaptation estimate
     */
    public static TrainingLog open(Path file, List<String> groups, boolean withD, long resumeAfterStep) {
        try {
            List<String> lines = new ArrayList<>();
            String header = header(groups, withD);
            lines.add(header);
            List<StepRecord> kept = new ArrayList<>();
            if (resumeAfterStep > 0 && Files.exists(file)) {
                List<String> old = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (old.isEmpty() || !old.get(0).equals(header)) {
                    throw new IOException("the existing log " + file + " has other columns than this run ("
                            + header + "); move it away to resume");
                }
                for (String line : old.subList(1, old.size())) {
                    StepRecord r = parse(line, groups.size(), withD);
                    if (r.step() <= resumeAfterStep) {
                        lines.add(line);
                        kept.add(r);
                    }
                }
            }
            AtomicFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            return new TrainingLog(file, groups, withD, kept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file + ": " + e.getMessage(), e);
        }
    }

    static String header(List<String> groups, boolean withD) {
        StringBuilder b = new StringBuilder("step,epoch,loss,avr_loss");
        groups.forEach(g -> b.append(",lr/").append(g));
        if (withD) {
            groups.forEach(g -> b.append(",d*lr/").append(g));
        }
        return b.append(",val_loss,val_avr_loss").toString();
    }

    public List<String> groups() {
        return groups;
    }

    /** Every row so far, resumed ones included (for the chart). */
    public List<StepRecord> records() {
        return List.copyOf(records);
    }

    public void append(StepRecord r) {
        if (r.lrs().length != groups.size() || (withD && (r.ds() == null || r.ds().length != groups.size()))) {
            throw new IllegalArgumentException("expected " + groups.size() + " learning rates"
                    + (withD ? " and d estimates" : "") + " (" + groups + ")");
        }
        StringBuilder b = new StringBuilder();
        b.append(r.step()).append(',').append(r.epoch()).append(',').append(num(r.loss())).append(',')
                .append(num(r.averageLoss()));
        for (double lr : r.lrs()) {
            b.append(',').append(num(lr));
        }
        if (withD) {
            for (double d : r.ds()) {
                b.append(',').append(num(d));
            }
        }
        b.append(',').append(num(r.validationLoss())).append(',').append(num(r.validationAverage()));
        try {
            out.write(b.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the training log: " + e.getMessage(), e);
        }
        records.add(r);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.8g", v);
    }

    private static StepRecord parse(String line, int groupCount, boolean withD) throws IOException {
        String[] f = line.split(",", -1);
        int expected = 4 + groupCount * (withD ? 2 : 1) + 2;
        if (f.length != expected) {
            throw new IOException("malformed training log row (" + f.length + " fields, expected " + expected + "): " + line);
        }
        try {
            double[] lrs = new double[groupCount];
            double[] ds = withD ? new double[groupCount] : null;
            for (int i = 0; i < groupCount; i++) {
                lrs[i] = value(f[4 + i]);
                if (withD) {
                    ds[i] = value(f[4 + groupCount + i]);
                }
            }
            return new StepRecord(Long.parseLong(f[0]), Integer.parseInt(f[1]), value(f[2]), value(f[3]), lrs, ds,
                    value(f[f.length - 2]), value(f[f.length - 1]));
        } catch (NumberFormatException e) {
            throw new IOException("malformed training log row: " + line, e);
        }
    }

    private static double value(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
