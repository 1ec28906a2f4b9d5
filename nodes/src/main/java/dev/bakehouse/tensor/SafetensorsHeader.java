package dev.bakehouse.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file.
 *
 * <p>Validation is strict, as the format requires: a JSON object of tensor entries
 * ({@code dtype}, {@code shape}, {@code data_offsets} and nothing else) plus an optional
 * {@code __metadata__} map of strings; no duplicate keys; each tensor's byte length equals its
 * element count times its dtype size; and the tensors tile the data section exactly (from 0,
 * contiguous, no overlap, ending at the end of the file). Every violation names the tensor.
 */
public record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata) {

    /** Largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength((int) MAX_HEADER_BYTES)
                .maxNestingDepth(64)
                .build());
    }

    public SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Parses a header.
     *
     * @param file        for error messages only
     * @param json        the header bytes (UTF-8 JSON, possibly space-padded)
     * @param dataStart   absolute file offset of the data section (8 + header length)
     * @param dataLength  bytes in the data section (file size - dataStart)
     */
    public static SafetensorsHeader parse(Path file, ByteBuffer json, long dataStart, long dataLength)
            throws TensorFileException {
        String text = decodeUtf8(file, json);
        if (!text.startsWith("{")) {
            throw new TensorFileException(file, null, "header does not start with '{' (not a safetensors file?)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TensorFileException(file, null, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TensorFileException(file, null, "header is not a JSON object");
        }
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, e.getValue());
            } else {
                tensors.add(parseTensor(file, e.getKey(), e.getValue(), dataStart));
            }
        }
        checkTiling(file, tensors, dataStart, dataLength);
        return new SafetensorsHeader(tensors, metadata);
    }

    private static String decodeUtf8(Path file, ByteBuffer json) throws TensorFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(json)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TensorFileException(file, null, "header is not valid UTF-8", e);
        }
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) throws TensorFileException {
        if (!node.isObject()) {
            throw new TensorFileException(file, null, "__metadata__ must be an object of strings, found " + node.getNodeType());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new TensorFileException(file, null, "__metadata__ value for '" + e.getKey()
                        + "' must be a string, found " + e.getValue().getNodeType());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static TensorInfo parseTensor(Path file, String name, JsonNode node, long dataStart)
            throws TensorFileException {
        if (!node.isObject()) {
            throw new TensorFileException(file, name, "entry must be an object, found " + node.getNodeType());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("dtype") && !field.equals("shape") && !field.equals("data_offsets")) {
                throw new TensorFileException(file, name, "unexpected field '" + field
                        + "' (expected only dtype, shape, data_offsets)");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new TensorFileException(file, name, "missing or non-string dtype");
        }
        DType dtype = DType.fromSafetensorsName(dtypeNode.textValue()).orElseThrow(() ->
                new TensorFileException(file, name, "unknown dtype '" + dtypeNode.textValue() + "'"));
        long[] shape = longArray(file, name, node.get("shape"), "shape", -1);
        long[] offsets = longArray(file, name, node.get("data_offsets"), "data_offsets", 2);
        if (offsets[1] < offsets[0]) {
            throw new TensorFileException(file, name, "data_offsets end " + offsets[1] + " is before begin " + offsets[0]);
        }
        long expected;
        try {
            expected = Math.multiplyExact(Shapes.numel(shape), dtype.size());
        } catch (ArithmeticException e) {
            throw new TensorFileException(file, name, "shape " + Shapes.format(shape) + " is too large");
        }
        long actual = offsets[1] - offsets[0];
        if (actual != expected) {
            throw new TensorFileException(file, name, "byte length " + actual + " does not match shape "
                    + Shapes.format(shape) + " x " + dtype + " (" + dtype.size() + " bytes) = " + expected);
        }
        return new TensorInfo(name, dtype, shape, dataStart + offsets[0], actual);
    }

    private static long[] longArray(Path file, String name, JsonNode node, String field, int requiredLength)
            throws TensorFileException {
        if (node == null || !node.isArray()) {
            throw new TensorFileException(file, name, "missing or non-array " + field);
        }
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new TensorFileException(file, name, field + " must have " + requiredLength
                    + " entries, found " + node.size());
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new TensorFileException(file, name, field + "[" + i + "] must be a non-negative integer, found " + v);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** The tensors must cover [0, dataLength) of the data section exactly, in some order. */
    private static void checkTiling(Path file, List<TensorInfo> tensors, long dataStart, long dataLength)
            throws TensorFileException {
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorInfo::offset).thenComparingLong(TensorInfo::byteLength));
        long expectedBegin = 0;
        for (TensorInfo t : byOffset) {
            long begin = t.offset() - dataStart;
            if (begin != expectedBegin) {
                throw new TensorFileException(file, t.name(), begin < expectedBegin
                        ? "data_offsets begin " + begin + " overlaps the previous tensor, which ends at " + expectedBegin
                        : "data_offsets begin " + begin + " leaves a gap after offset " + expectedBegin);
            }
            expectedBegin = begin + t.byteLength();
        }
        if (expectedBegin != dataLength) {
            String last = byOffset.isEmpty() ? null : byOffset.get(byOffset.size() - 1).name();
            throw new TensorFileException(file, last, expectedBegin > dataLength
                    ? "data ends at " + expectedBegin + " but the file holds only " + dataLength + " data bytes (truncated?)"
                    : "tensors end at " + expectedBegin + " but the file has " + dataLength + " data bytes");
        }
    }
}
