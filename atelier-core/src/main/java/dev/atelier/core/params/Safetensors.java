package dev.atelier.core.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader and writer for the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format: an 8-byte little-endian header length, a JSON header mapping each name to
 * {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header), an
 * optional {@code __metadata__} string map, then the raw little-endian tensor bytes.
 *
 * <p>Reading maps the file (tensors of any total size; each single tensor under 2 GiB) and checks
 * the header strictly, so a truncated or corrupt file fails with a message naming the problem.
 * Writing keeps the {@link ParamSet} order and goes through a temporary file plus an atomic move,
 * so an interrupted write never replaces a good checkpoint with a broken one.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Upper bound used by the reference implementation to reject absurd headers early. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private Safetensors() {}

    /** A parsed file: tensors in data-offset order and the free-form metadata. */
    public record Contents(ParamSet params, Map<String, String> metadata) {}

    public static ParamSet read(Path file) throws IOException {
        return readWithMetadata(file).params();
    }

    public static Contents readWithMetadata(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new SafetensorsException(file + ": no such safetensors file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            // Mapped per tensor: pages load lazily and the mapping outlives the channel.
            return parse(file.toString(), size, (pos, len) -> ch.map(FileChannel.MapMode.READ_ONLY, pos, len));
        }
    }

    /** Decodes an in-memory safetensors blob (as sent on the wire). */
    public static Contents decode(byte[] bytes) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(bytes);
        return parse(
                "<payload>",
                bytes.length,
                (pos, len) -> all.duplicate()
                        .position(Math.toIntExact(pos))
                        .limit(Math.toIntExact(pos + len))
                        .slice());
    }

    /** Encodes to an in-memory blob; prefer {@link #write} for large sets. */
    public static byte[] encode(ParamSet params, Map<String, String> metadata) {
        var out = new java.io.ByteArrayOutputStream(Math.toIntExact(params.byteSize() + 1024));
        try {
            write(params, metadata, out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    public static byte[] encode(ParamSet params) {
        return encode(params, Map.of());
    }

    /**
     * Writes atomically and durably: a temporary sibling file is written, fsynced, then moved over
     * {@code file}, so {@code file} is always either the old content or the complete new one.
     */
    public static void write(ParamSet params, Map<String, String> metadata, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                write(params, metadata, out);
                out.flush();
                // Durable before the rename: otherwise a power loss can leave the new name on a
                // zero-length or partial file (the rename reaches the disk before the data).
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(ParamSet params, Path file) throws IOException {
        write(params, Map.of(), file);
    }

    /** Streams the encoding to {@code out} (not closed). */
    public static void write(ParamSet params, Map<String, String> metadata, OutputStream out) throws IOException {
        byte[] header = header(params, metadata);
        OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        buffered.write(len.array());
        buffered.write(header);
        buffered.flush();
        WritableByteChannel ch = Channels.newChannel(out);
        for (Tensor t : params.asMap().values()) {
            ByteBuffer data = t.data();
            while (data.hasRemaining()) {
                ch.write(data);
            }
        }
        out.flush();
    }

    /** Header JSON, space-padded to a multiple of 8 bytes as the reference writer does. */
    static byte[] header(ParamSet params, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (var e : params.asMap().entrySet()) {
            Tensor t = e.getValue();
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", t.dtype().name());
            var shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    @FunctionalInterface
    private interface RangeReader {
        ByteBuffer read(long position, long length) throws IOException;
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static Contents parse(String source, long size, RangeReader reader) throws IOException {
        if (size < 8) {
            throw new SafetensorsException(
                    source + ": truncated safetensors file (" + size + " bytes, need at least 8)");
        }
        long headerLen = reader.read(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
            throw new SafetensorsException(source + ": corrupt safetensors header length " + headerLen
                    + " for a file of " + size + " bytes (truncated or not a safetensors file)");
        }
        ByteBuffer hb = reader.read(8, headerLen);
        byte[] hbytes = new byte[hb.remaining()];
        hb.get(hbytes);
        JsonNode root;
        try {
            // decoded as strict UTF-8 here (the format's encoding): given bytes, Jackson guesses the
            // encoding and a header starting with 00 00 00 7B is read as UTF-32 and fails with a
            // CharConversionException (found by Jazzer)
            String text = java.nio.charset.StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(hbytes))
                    .toString();
            root = JSON.readTree(text);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SafetensorsException(source + ": safetensors header is not UTF-8 (" + e + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SafetensorsException(
                    source + ": safetensors header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(source + ": safetensors header must be a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().equals("__metadata__")) {
                f.getValue()
                        .fields()
                        .forEachRemaining(
                                m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            if (f.getKey().isBlank()) {
                // ParamSet refuses blank names with IllegalArgumentException (found by Jazzer)
                throw new SafetensorsException(source + ": a tensor has a blank name");
            }
            entries.add(entry(source, f.getKey(), f.getValue(), dataLen));
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expectedBegin = 0;
        ParamSet.Builder b = ParamSet.builder();
        for (Entry e : entries) {
            if (e.begin != expectedBegin) {
                throw new SafetensorsException(source + ": tensor '" + e.name + "' starts at byte " + e.begin
                        + " but the previous one ended at " + expectedBegin + " (overlapping or gapped data)");
            }
            expectedBegin = e.end;
            try {
                b.put(e.name, Tensor.of(e.dtype, e.shape, reader.read(dataStart + e.begin, e.end - e.begin)));
            } catch (IllegalArgumentException bad) {
                // whatever else ParamSet or Tensor refuses is a malformed file, not a caller's mistake
                throw new SafetensorsException(source + ": tensor '" + e.name + "': " + bad.getMessage());
            }
        }
        if (expectedBegin != dataLen) {
            throw new SafetensorsException(source + ": tensor data ends at byte " + expectedBegin + " but the file has "
                    + dataLen + " data bytes (truncated or trailing garbage)");
        }
        return new Contents(b.build(), Map.copyOf(metadata));
    }

    /** A JSON integer that fits a long; strings, fractions and larger numbers are refused, not coerced. */
    private static long integer(JsonNode v, String what) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("'" + what + "' holds " + v + ", not an integer");
        }
        return v.longValue();
    }

    private static Entry entry(String source, String name, JsonNode n, long dataLen) throws SafetensorsException {
        try {
            DType dtype = DType.fromSafetensors(n.path("dtype").asText());
            JsonNode shapeNode = n.path("shape");
            JsonNode offs = n.path("data_offsets");
            if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
                throw new IllegalArgumentException("needs 'shape' array and 2 'data_offsets'");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = integer(shapeNode.get(i), "shape");
            }
            long begin = integer(offs.get(0), "data_offsets");
            long end = integer(offs.get(1), "data_offsets");
            if (begin < 0 || end < begin || end > dataLen) {
                throw new IllegalArgumentException("data_offsets [" + begin + ", " + end + "] outside the " + dataLen
                        + " data bytes (file truncated?)");
            }
            // exact: 2^62 float32 elements would wrap to 0 bytes and pass as an empty tensor
            long expected = Math.multiplyExact(Tensor.numElements(shape), (long) dtype.byteSize());
            if (end - begin != expected) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " x " + dtype
                        + " needs " + expected + " bytes but data_offsets span " + (end - begin));
            }
            return new Entry(name, dtype, shape, begin, end);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new SafetensorsException(source + ": tensor '" + name + "': " + e.getMessage());
        }
    }
}
