package dev.bakehouse.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Reading a 2 GiB F16 checkpoint-shaped file: a plain sequential file read for reference, then
 * open + read every tensor as raw mapped bytes, then open + widen every tensor to float[]. The
 * file is created in a temp folder and deleted afterwards. Rates are in file megabytes (10^6) per
 * second. The file was just written, so it sits in the page cache: these are memory-speed reads,
 * the cost of our codec over a plain read, not disk speed.
 */
public final class SafetensorsBench {
    private static final int TENSORS = 256;
    private static final long TENSOR_BYTES = 8L << 20; // 8 MiB each: 2 GiB in all

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("safetensors-bench");
        try {
            Path file = dir.resolve("bench.safetensors");
            long t0 = System.nanoTime();
            write(file);
            double size = Files.size(file) / 1e6;
            report("safetensors_write_2gb", size / seconds(t0), "MB/s");

            long t1 = System.nanoTime();
            long checksum = plainRead(file);
            report("plain_sequential_read_2gb", size / seconds(t1), "MB/s");

            long t2 = System.nanoTime();
            checksum += mappedRead(file);
            report("safetensors_read_all_raw_2gb", size / seconds(t2), "MB/s");

            long t3 = System.nanoTime();
            double sum = widenAll(file);
            report("safetensors_read_all_f16_to_float_2gb", size / seconds(t3), "MB/s");
            System.out.println("# page cache: the file was just written, so every read above is served from memory;"
                    + " checksum " + checksum + " " + sum);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void write(Path file) throws TensorFileException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        long elements = TENSOR_BYTES / 2;
        for (int i = 0; i < TENSORS; i++) {
            int seed = i;
            w.addLazy(String.format("model.diffusion_model.block.%03d.weight", i), DType.F16, new long[] {elements / 1024, 1024},
                    () -> halfNoise(seed, (int) elements));
        }
        w.write(file);
    }

    /** Small random halves (|x| < 2), so widening sees ordinary values. */
    private static ByteBuffer halfNoise(int seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) (r.nextInt(0x4000) | (r.nextBoolean() ? 0x8000 : 0)));
        }
        return b.flip();
    }

    private static long plainRead(Path file) throws IOException {
        long sum = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                sum += buf.get(buf.limit() / 2);
                buf.clear();
            }
        }
        return sum;
    }

    private static long mappedRead(Path file) throws IOException {
        long sum = 0;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                ByteBuffer v = f.view(name);
                var longs = v.asLongBuffer();
                for (int i = 0; i < longs.limit(); i++) {
                    sum += longs.get(i);
                }
            }
        }
        return sum;
    }

    private static double widenAll(Path file) throws IOException {
        double sum = 0;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                float[] v = f.readFloats(name);
                sum += v[v.length / 2];
            }
        }
        return sum;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void report(String name, double value, String unit) {
        System.out.printf("BENCH %s %.1f %s%n", name, value, unit);
    }
}
