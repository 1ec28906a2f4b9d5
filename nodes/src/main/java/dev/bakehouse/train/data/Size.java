package dev.bakehouse.train.data;

/** A width × height in pixels, width first as kohya writes resolutions. */
public record Size(int width, int height) implements Comparable<Size> {
    /** kohya sorts buckets as Python tuples: by width, then height. */
    @Override
    public int compareTo(Size o) {
        return width != o.width ? Integer.compare(width, o.width) : Integer.compare(height, o.height);
    }

    public long area() {
        return (long) width * height;
    }

    /** Python's {@code str((w, h))}, the form of {@code ss_resolution}. */
    public String pythonTuple() {
        return "(" + width + ", " + height + ")";
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }

    /**
     * {@code --resolution}: {@code "N"} or {@code "W,H"} (kohya's {@code prepare_dataset_args}).
     *
     * @throws IllegalArgumentException naming the option and the text found
     */
    public static Size parseResolution(String text) {
        String[] parts = text.split(",", -1);
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0].strip());
                return positive(new Size(n, n), text);
            }
            if (parts.length == 2) {
                return positive(new Size(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())), text);
            }
        } catch (NumberFormatException e) {
            // falls through to the one error below
        }
        throw new IllegalArgumentException("resolution: expected \"size\" or \"width,height\" in pixels, found \"" + text + "\"");
    }

    private static Size positive(Size s, String text) {
        if (s.width < 1 || s.height < 1) {
            throw new IllegalArgumentException("resolution: sides must be positive, found \"" + text + "\"");
        }
        return s;
    }
}
