package dev.bakehouse.tensor.ckpt;

import java.util.List;

/**
 * The Python values {@link SafeUnpickler} builds. Dicts are {@code LinkedHashMap<Object,Object>},
 * lists {@code ArrayList}, str {@code String}, bytes {@code byte[]}, int {@code Long} or
 * {@code BigInteger}, float {@code Double}, bool {@code Boolean}, None {@code null}; the rest are
 * the records below. Nothing here can run code: a "call" only ever builds one of these records.
 */
final class PickleValues {
    private PickleValues() {}

    /** A tuple (unmodifiable; may hold nulls). */
    record Tuple(List<Object> items) {
        Object get(int i) {
            return items.get(i);
        }

        int size() {
            return items.size();
        }
    }

    /** A reference to an allowed global, e.g. {@code collections.OrderedDict}. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** An allowed but inert object (a Lightning callback, a numpy scalar): kept, never called. */
    record Inert(Global type, Object args) {}

    /** A persistent-id storage reference: {@code ('storage', torch.HalfStorage, '0', 'cpu', numel)}. */
    record StorageRef(String typeName, String key, String location, long numel) {}

    /** The result of {@code torch._utils._rebuild_tensor_v2}: a (possibly strided) view of a storage. */
    record TensorRef(StorageRef storage, long storageOffset, long[] size, long[] stride) {}
}
