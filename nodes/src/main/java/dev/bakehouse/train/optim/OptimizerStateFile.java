package dev.bakehouse.train.optim;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link OptimizerState} as one safetensors file: the tensors under their names, the optimizer
 * type in {@code __metadata__["bakehouse_optimizer"]}, each scalar as
 * {@code __metadata__["bakehouse_scalar.<name>"]} in Java's shortest round-trip decimal (so a double
 * reads back bit for bit). Written atomically by the safetensors writer.
 */
public final class OptimizerStateFile {
    private static final String TYPE_KEY = "bakehouse_optimizer";
    private static final String SCALAR_PREFIX = "bakehouse_scalar.";

    private OptimizerStateFile() {}

    public static void write(Path file, OptimizerState state) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata(TYPE_KEY, state.optimizer());
        state.scalars().forEach((k, v) -> w.metadata(SCALAR_PREFIX + k, Double.toString(v)));
        state.tensors().forEach((k, t) -> w.add(k, t.dtype(), t.shape(), ByteBuffer.wrap(t.data())));
        w.write(file);
    }

    public static OptimizerState read(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String type = f.metadata().get(TYPE_KEY);
            if (type == null) {
                throw new TensorFileException(file, null, "not an optimizer state (no __metadata__ " + TYPE_KEY + ")");
            }
            Map<String, Double> scalars = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : f.metadata().entrySet()) {
                if (e.getKey().startsWith(SCALAR_PREFIX)) {
                    try {
                        scalars.put(e.getKey().substring(SCALAR_PREFIX.length()), Double.parseDouble(e.getValue()));
                    } catch (NumberFormatException ex) {
                        throw new TensorFileException(file, null, "__metadata__ " + e.getKey() + " is '" + e.getValue()
                                + "', expected a number");
                    }
                }
            }
            Map<String, OptimizerState.Tensor> tensors = new LinkedHashMap<>();
            for (TensorInfo info : f.tensors()) {
                ByteBuffer view = f.view(info.name());
                byte[] data = new byte[view.remaining()];
                view.get(data);
                tensors.put(info.name(), new OptimizerState.Tensor(info.dtype(), info.shape(), data));
            }
            return new OptimizerState(type, tensors, scalars);
        }
    }
}
