package dev.bakehouse.train.log;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The loss chart users look at instead of TensorBoard: loss per step (thin), kohya's moving
 * average (bold) and validation loss (points) on the left axis; the learning rate of each param
 * group on a log-scale right axis, since warmup and decay span orders of magnitude.
 */
public final class LossChart {
    private static final Color LOSS = new Color(150, 180, 220);
    private static final Color AVERAGE = new Color(20, 70, 160);
    private static final Color VALIDATION = new Color(200, 40, 40);
    private static final Color[] LR = {new Color(40, 150, 60), new Color(230, 140, 20), new Color(130, 60, 190),
            new Color(90, 90, 90)};

    private LossChart() {}

    public static BufferedImage render(String title, List<String> groups, List<TrainingLog.StepRecord> records,
                                       int width, int height) {
        XYSeries loss = new XYSeries("loss");
        XYSeries average = new XYSeries("avr_loss");
        XYSeries validation = new XYSeries("val_loss");
        XYSeries[] lrs = new XYSeries[groups.size()];
        for (int g = 0; g < lrs.length; g++) {
            lrs[g] = new XYSeries("lr/" + groups.get(g));
        }
        for (TrainingLog.StepRecord r : records) {
            addIfFinite(loss, r.step(), r.loss());
            addIfFinite(average, r.step(), r.averageLoss());
            addIfFinite(validation, r.step(), r.validationLoss());
            for (int g = 0; g < lrs.length; g++) {
                if (r.lrs()[g] > 0) { // a log axis cannot show 0 (warmup's first step, zeroed blocks)
                    lrs[g].add(r.step(), r.lrs()[g]);
                }
            }
        }
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(loss);
        losses.addSeries(average);
        losses.addSeries(validation);
        NumberAxis stepAxis = new NumberAxis("step");
        stepAxis.setAutoRangeIncludesZero(false);
        NumberAxis lossAxis = new NumberAxis("loss");
        lossAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lossRenderer = new XYLineAndShapeRenderer();
        style(lossRenderer, 0, LOSS, 1f, true, false);
        style(lossRenderer, 1, AVERAGE, 2.5f, true, false);
        style(lossRenderer, 2, VALIDATION, 1.5f, true, true);
        XYPlot plot = new XYPlot(losses, stepAxis, lossAxis, lossRenderer);

        XYSeriesCollection lrData = new XYSeriesCollection();
        for (XYSeries s : lrs) {
            lrData.addSeries(s);
        }
        if (lrData.getSeriesCount() > 0 && lrData.getItemCount(0) > 0) {
            LogAxis lrAxis = new LogAxis("learning rate");
            lrAxis.setSmallestValue(1e-12);
            // a narrow lr range gets ticks at fractional powers of ten; print them as plain numbers
            lrAxis.setNumberFormatOverride(new java.text.DecimalFormat("0.0##E0"));
            plot.setRangeAxis(1, lrAxis);
            plot.setDataset(1, lrData);
            plot.mapDatasetToRangeAxis(1, 1);
            XYLineAndShapeRenderer lrRenderer = new XYLineAndShapeRenderer();
            for (int g = 0; g < lrs.length; g++) {
                style(lrRenderer, g, LR[g % LR.length], 1f, true, false);
                lrRenderer.setSeriesStroke(g, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {4f, 3f}, 0f));
            }
            plot.setRenderer(1, lrRenderer);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
    }

    /** Renders the chart of {@code records} (960×540) and writes it as a PNG, atomically. */
    public static void write(Path file, String title, List<String> groups, List<TrainingLog.StepRecord> records) {
        try {
            dev.bakehouse.io.AtomicFiles.writePng(file, render(title, groups, records, 960, 540));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the loss chart " + file + ": " + e.getMessage(), e);
        }
    }

    private static void addIfFinite(XYSeries series, long step, double value) {
        if (Double.isFinite(value)) {
            series.add(step, value);
        }
    }

    private static void style(XYLineAndShapeRenderer r, int series, Color color, float width, boolean lines,
                              boolean shapes) {
        r.setSeriesPaint(series, color);
        r.setSeriesStroke(series, new BasicStroke(width));
        r.setSeriesLinesVisible(series, lines);
        r.setSeriesShapesVisible(series, shapes);
    }
}
