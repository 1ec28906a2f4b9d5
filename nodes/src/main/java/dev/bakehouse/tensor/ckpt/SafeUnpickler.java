package dev.bakehouse.tensor.ckpt;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.ckpt.PickleValues.Global;
import dev.bakehouse.tensor.ckpt.PickleValues.Inert;
import dev.bakehouse.tensor.ckpt.PickleValues.StorageRef;
import dev.bakehouse.tensor.ckpt.PickleValues.TensorRef;
import dev.bakehouse.tensor.ckpt.PickleValues.Tuple;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader for PyTorch checkpoints that never runs code.
 *
 * <p>It understands the opcodes of protocols 2-5 that state dicts use, and only the globals a
 * state dict needs: {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2} and
 * {@code _rebuild_parameter}, the {@code torch.*Storage} types and torch dtypes. It also accepts,
 * as inert records, the few non-tensor globals that Lightning training checkpoints carry and that
 * AUTOMATIC1111's safe unpickler allows (numpy scalars, {@code ModelCheckpoint}, {@code set}).
 * Any other global (such as {@code os.system} or {@code builtins.eval}) and the opcodes that call
 * classes by name ({@code INST}, {@code OBJ}, extensions) are refused, naming what was found.
 * "Calling" an allowed global only builds a plain record, so a refused file has run nothing.
 *
 * <p>BUILD (setting an object's state) is accepted and its state dropped: for a state dict it is
 * torch's {@code _metadata} (module versions), which no loader here needs.
 */
final class SafeUnpickler {

    private static final Set<String> STORAGE_TYPES = Set.of(
            "DoubleStorage", "FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage",
            "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
            // newer torch pickles a dtype object where no legacy storage class exists
            "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
            "float8_e4m3fn", "float8_e5m2");

    private static final Set<String> INERT = Set.of(
            "numpy.core.multiarray.scalar", "numpy.core.multiarray._reconstruct", "numpy._core.multiarray.scalar",
            "numpy.dtype", "numpy.ndarray", "_codecs.encode", "__builtin__.set", "builtins.set",
            "pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint",
            "torch.nn.modules.container.ParameterDict");

    private static final int MAX_DEPTH = 100_000;
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final Path file;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private SafeUnpickler(Path file, ByteBuffer in) {
        this.file = file;
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads one pickle from the buffer's position up to and including its STOP opcode; on return
     * the buffer is positioned just after STOP.
     */
    static Object load(Path file, ByteBuffer in) throws TensorFileException {
        try {
            return new SafeUnpickler(file, in).run();
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PickleTruncatedException(file, "pickle ends early or is malformed at byte " + in.position());
        }
    }

    // One case per opcode: the switch is the pickle machine's dispatch table, read top to bottom
    // against the opcode list, so it stays one method although it runs past 60 lines.
    private Object run() throws TensorFileException {
        while (true) {
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = in.get() & 0xff;
                    if (proto < 2 || proto > 5) {
                        throw error(at, "pickle protocol " + proto + " is not supported (expected 2..5)");
                    }
                }
                case 0x95 -> in.getLong(); // FRAME: length only matters for streaming readers
                case 0x2e -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw error(at, "STOP with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                case 0x28 -> { marks.add(stack.size()); push(MARK); } // MARK
                case 0x30 -> pop(at); // POP
                case 0x31 -> popMark(at); // POP_MARK
                case 0x32 -> push(peek(at)); // DUP
                case 0x4e -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 0x4a -> push((long) in.getInt()); // BININT
                case 0x4b -> push((long) (in.get() & 0xff)); // BININT1
                case 0x4d -> push((long) (in.getShort() & 0xffff)); // BININT2
                case 0x8a -> push(readLong(at, in.get() & 0xff)); // LONG1
                case 0x8b -> push(readLong(at, in.getInt())); // LONG4
                case 0x47 -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
                case 0x58 -> push(readString(at, in.getInt() & 0xffffffffL)); // BINUNICODE
                case 0x8c -> push(readString(at, in.get() & 0xff)); // SHORT_BINUNICODE
                case 0x8d -> push(readString(at, in.getLong())); // BINUNICODE8
                case 0x54 -> push(readLatin1(at, in.getInt() & 0xffffffffL)); // BINSTRING (py2 str)
                case 0x55 -> push(readLatin1(at, in.get() & 0xff)); // SHORT_BINSTRING
                case 0x42 -> push(readBytes(at, in.getInt() & 0xffffffffL)); // BINBYTES
                case 0x43 -> push(readBytes(at, in.get() & 0xff)); // SHORT_BINBYTES
                case 0x8e -> push(readBytes(at, in.getLong())); // BINBYTES8
                case 0x96 -> push(readBytes(at, in.getLong())); // BYTEARRAY8
                case 0x7d -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case 0x5d -> push(new ArrayList<Object>()); // EMPTY_LIST
                case 0x29 -> push(tuple(List.of())); // EMPTY_TUPLE
                case 0x8f -> push(new ArrayList<Object>()); // EMPTY_SET, kept as a list
                case 0x85 -> push(tuple(popN(at, 1))); // TUPLE1
                case 0x86 -> push(tuple(popN(at, 2))); // TUPLE2
                case 0x87 -> push(tuple(popN(at, 3))); // TUPLE3
                case 0x74 -> push(tuple(popMark(at))); // TUPLE
                case 0x6c -> push(new ArrayList<>(popMark(at))); // LIST
                case 0x64 -> push(dictOf(at, popMark(at))); // DICT
                case 0x91 -> push(new ArrayList<>(popMark(at))); // FROZENSET, kept as a list
                case 0x61 -> { Object v = pop(at); list(at, peek(at)).add(v); } // APPEND
                case 0x65 -> { List<Object> vs = popMark(at); list(at, peek(at)).addAll(vs); } // APPENDS
                case 0x90 -> { List<Object> vs = popMark(at); list(at, peek(at)).addAll(vs); } // ADDITEMS
                case 0x73 -> { Object v = pop(at); Object k = hashable(at, pop(at)); dict(at, peek(at)).put(k, v); } // SETITEM
                case 0x75 -> { Map<Object, Object> kv = dictOf(at, popMark(at)); dict(at, peek(at)).putAll(kv); } // SETITEMS
                case 0x71 -> memo.put((long) (in.get() & 0xff), peek(at)); // BINPUT
                case 0x72 -> memo.put(in.getInt() & 0xffffffffL, peek(at)); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek(at)); // MEMOIZE
                case 0x68 -> push(memoGet(at, in.get() & 0xff)); // BINGET
                case 0x6a -> push(memoGet(at, in.getInt() & 0xffffffffL)); // LONG_BINGET
                case 0x63 -> push(global(at, readLine(at), readLine(at))); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(at);
                    Object module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error(at, "STACK_GLOBAL needs two strings");
                    }
                    push(global(at, m, n));
                }
                case 0x51 -> push(persistent(at, pop(at))); // BINPERSID
                case 0x52 -> { Object args = pop(at); push(call(at, pop(at), args)); } // REDUCE
                case 0x81 -> { Object args = pop(at); push(call(at, pop(at), args)); } // NEWOBJ
                case 0x62 -> { pop(at); peek(at); } // BUILD: state dropped, see the class comment
                default -> throw error(at, "pickle opcode 0x" + Integer.toHexString(op) + " ('" + (char) op
                        + "') is not allowed in a checkpoint");
            }
            if (stack.size() > MAX_DEPTH) {
                throw error(at, "pickle stack deeper than " + MAX_DEPTH);
            }
        }
    }

    private Global global(int at, String module, String name) throws TensorFileException {
        String q = module + "." + name;
        boolean allowed = q.equals("collections.OrderedDict")
                || q.equals("torch._utils._rebuild_tensor_v2")
                || q.equals("torch._utils._rebuild_parameter")
                || q.equals("torch._utils._rebuild_parameter_with_state")
                || (module.equals("torch") && STORAGE_TYPES.contains(name))
                || INERT.contains(q);
        if (!allowed) {
            throw error(at, "global '" + q + "' is forbidden: a checkpoint may only reference state-dict types "
                    + "(refusing to load; nothing was executed)");
        }
        return new Global(module, name);
    }

    /** Applies an allowed global to its arguments; builds data, runs nothing. */
    private Object call(int at, Object callable, Object args) throws TensorFileException {
        if (!(callable instanceof Global g)) {
            throw error(at, "REDUCE on a non-global value " + describe(callable));
        }
        if (!(args instanceof Tuple t)) {
            throw error(at, "REDUCE arguments for " + g.qualified() + " must be a tuple");
        }
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                if (t.size() != 0) {
                    throw error(at, "OrderedDict with constructor arguments is not supported");
                }
                return new LinkedHashMap<Object, Object>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (t.size() < 4 || !(t.get(0) instanceof StorageRef s)) {
                    throw error(at, "_rebuild_tensor_v2 expects (storage, offset, size, stride, ...)");
                }
                return new TensorRef(s, nonNegative(at, t.get(1), "storage_offset"),
                        longs(at, t.get(2), "size"), longs(at, t.get(3), "stride"));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (t.size() < 1 || !(t.get(0) instanceof TensorRef tensor)) {
                    throw error(at, "_rebuild_parameter expects a tensor as its first argument");
                }
                return tensor;
            }
            default -> {
                if (INERT.contains(g.qualified())) {
                    return new Inert(g, t);
                }
                throw error(at, "global '" + g.qualified() + "' cannot be called");
            }
        }
    }

    private StorageRef persistent(int at, Object pid) throws TensorFileException {
        if (!(pid instanceof Tuple t) || t.size() < 5 || !"storage".equals(t.get(0))) {
            throw error(at, "persistent id " + describe(pid) + " is not a torch storage reference");
        }
        if (!(t.get(1) instanceof Global type) || !type.module().equals("torch")) {
            throw error(at, "storage type " + describe(t.get(1)) + " is not a torch storage type");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String location)) {
            throw error(at, "storage key and location must be strings");
        }
        return new StorageRef(type.name(), key, location, nonNegative(at, t.get(4), "storage size"));
    }

    private long[] longs(int at, Object v, String what) throws TensorFileException {
        if (!(v instanceof Tuple t)) {
            throw error(at, what + " must be a tuple of ints, found " + describe(v));
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(at, t.get(i), what);
        }
        return out;
    }

    private long nonNegative(int at, Object v, String what) throws TensorFileException {
        if (!(v instanceof Long l) || l < 0) {
            throw error(at, what + " must be a non-negative int, found " + describe(v));
        }
        return l;
    }

    private Object readLong(int at, int n) throws TensorFileException {
        if (n < 0 || n > in.remaining()) {
            throw new PickleTruncatedException(file, "pickle byte " + at + ": LONG of " + n + " bytes runs past the end");
        }
        byte[] le = new byte[n];
        in.get(le);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String readString(int at, long n) throws TensorFileException {
        return new String(readBytes(at, n), StandardCharsets.UTF_8);
    }

    private String readLatin1(int at, long n) throws TensorFileException {
        return new String(readBytes(at, n), StandardCharsets.ISO_8859_1);
    }

    private byte[] readBytes(int at, long n) throws TensorFileException {
        if (n < 0 || n > in.remaining()) {
            throw new PickleTruncatedException(file, "pickle byte " + at + ": string of " + n + " bytes runs past the end of the pickle");
        }
        byte[] b = new byte[(int) n];
        in.get(b);
        return b;
    }

    private String readLine(int at) throws TensorFileException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            if (sb.length() > 256) {
                throw error(at, "GLOBAL name longer than 256 characters");
            }
            sb.append((char) (b & 0xff));
        }
    }

    private Object memoGet(int at, long key) throws TensorFileException {
        if (!memo.containsKey(key)) {
            throw error(at, "memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    private void push(Object v) {
        stack.add(v);
    }

    private Object peek(int at) throws TensorFileException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error(at, "stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop(int at) throws TensorFileException {
        Object v = peek(at);
        stack.remove(stack.size() - 1);
        return v;
    }

    private List<Object> popN(int at, int n) throws TensorFileException {
        Object[] out = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = pop(at);
        }
        return Arrays.asList(out);
    }

    private List<Object> popMark(int at) throws TensorFileException {
        if (marks.isEmpty()) {
            throw error(at, "no MARK on the stack");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private static Tuple tuple(List<Object> items) {
        return new Tuple(Collections.unmodifiableList(new ArrayList<>(items)));
    }

    private Map<Object, Object> dictOf(int at, List<Object> kv) throws TensorFileException {
        if (kv.size() % 2 != 0) {
            throw error(at, "odd number of items for a dict");
        }
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.size(); i += 2) {
            m.put(hashable(at, kv.get(i)), kv.get(i + 1));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(int at, Object v) throws TensorFileException {
        if (v instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw error(at, "SETITEM on " + describe(v) + ", expected a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(int at, Object v) throws TensorFileException {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw error(at, "APPEND on " + describe(v) + ", expected a list");
    }

    /** Keys we can use in a Java map: mutable containers are not hashable in Python either. */
    private Object hashable(int at, Object k) throws TensorFileException {
        if (k instanceof Map || k instanceof List || k instanceof byte[]) {
            throw error(at, "unhashable dict key " + describe(k));
        }
        return k;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Global g) {
            return g.qualified();
        }
        return v.getClass().getSimpleName();
    }

    private TensorFileException error(int at, String message) {
        return new TensorFileException(file, null, "pickle byte " + at + ": " + message);
    }
}
