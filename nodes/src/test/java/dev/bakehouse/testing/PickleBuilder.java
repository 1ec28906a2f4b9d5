package dev.bakehouse.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickle opcodes by hand, so tests can build exactly the bytes {@code torch.save} writes
 * (and hostile variants) without Python. Protocol 2 opcodes only.
 */
public final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int memo;

    public PickleBuilder proto(int version) {
        return op(0x80).raw(version);
    }

    public PickleBuilder op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleBuilder raw(int b) {
        out.write(b);
        return this;
    }

    /** GLOBAL 'module\nname\n' followed by BINPUT. */
    public PickleBuilder global(String module, String name) {
        op('c');
        bytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return put();
    }

    /** BINUNICODE + BINPUT. */
    public PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').int32(b.length);
        bytes(b);
        return put();
    }

    /** BININT1 / BININT2 / BININT / LONG1 as Python's pickler picks them. */
    public PickleBuilder integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').raw((int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').raw((int) v & 0xff).raw((int) (v >>> 8));
        }
        if (v == (int) v) {
            return op('J').int32((int) v);
        }
        op(0x8a).raw(8);
        for (int i = 0; i < 8; i++) {
            raw((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    public PickleBuilder mark() {
        return op('(');
    }

    public PickleBuilder tuple() {
        return op('t').put();
    }

    public PickleBuilder emptyTuple() {
        return op(')');
    }

    public PickleBuilder emptyDict() {
        return op('}').put();
    }

    public PickleBuilder reduce() {
        return op('R').put();
    }

    public PickleBuilder binpersid() {
        return op('Q');
    }

    public PickleBuilder setitems() {
        return op('u');
    }

    public PickleBuilder build() {
        return op('b');
    }

    public PickleBuilder bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    /** BINGET of a memo slot. */
    public PickleBuilder get(int slot) {
        return op('h').raw(slot);
    }

    /** The memo slot the next BINPUT will use. */
    public int nextMemo() {
        return memo;
    }

    public PickleBuilder stop() {
        return op('.');
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    /** BINPUT into the next memo slot (what Python's pickler does after most values). */
    public PickleBuilder memoize() {
        return put();
    }

    private PickleBuilder put() {
        if (memo < 256) {
            op('q').raw(memo);
        } else {
            op('r').int32(memo);
        }
        memo++;
        return this;
    }

    private PickleBuilder int32(int v) {
        for (int i = 0; i < 4; i++) {
            raw((v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    private void bytes(byte[] b) {
        out.write(b, 0, b.length);
    }
}
