package dev.bakehouse.tensor.ckpt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Copies a strided view of a storage into a dense row-major buffer. */
final class Strided {
    private Strided() {}

    /**
     * @param storage    the whole storage, little-endian
     * @param base       first element (storage offset, in elements)
     * @param shape      view shape
     * @param stride     view strides, in elements (bounds already checked by the caller)
     * @param elemSize   bytes per element
     */
    static ByteBuffer gather(ByteBuffer storage, long base, long[] shape, long[] stride, int elemSize) {
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(numel * elemSize)).order(ByteOrder.LITTLE_ENDIAN);
        if (numel == 0) {
            return out;
        }
        long[] index = new long[shape.length];
        byte[] element = new byte[elemSize];
        for (long n = 0; n < numel; n++) {
            long at = base;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            storage.get(Math.toIntExact(at * elemSize), element);
            out.put(element);
            for (int d = shape.length - 1; d >= 0; d--) { // odometer increment, last axis fastest
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out.flip();
    }
}
