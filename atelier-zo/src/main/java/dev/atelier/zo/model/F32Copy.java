package dev.atelier.zo.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A client's F32 master copy of a model on disk: a Hugging Face folder ({@code config.json} and
 * one {@code model.safetensors}) whose tensors are exactly {@link CausalLm#parameters} of the
 * fully loaded model, in that order, contiguous, F32 little-endian. So the SHA-256 of its data
 * section is the federation's model digest ({@code Replay.sha256}), a model holding only some
 * blocks loads from it ({@link CausalLm#loadHeld}, frozen blocks streamed from it), and one tensor
 * at a time is read or rewritten in place ({@link #read}, {@link #write}) while the rest stays on
 * disk. Built tensor by tensor from any checkpoint the loader reads (F16/BF16 widened, sharded
 * files joined): the builder never holds more than embeddings, head, one block and one tensor.
 * Not thread-safe; the folder must not be changed by anyone else.
 */
public final class F32Copy {
    private static final int CHUNK = 1 << 20;

    private final Path dir;
    private final List<String> names;
    private final List<int[]> shapes;
    /** Absolute byte offset of each tensor's data in the file. */
    private final long[] offsets;

    private final long dataStart;
    private final long dataEnd;
    private final int leading;
    private final int perBlock;
    private final int blocks;

    private F32Copy(
            Path dir, List<String> names, List<int[]> shapes, long dataStart, int leading, int perBlock, int blocks) {
        this.dir = dir;
        this.names = List.copyOf(names);
        this.shapes = List.copyOf(shapes);
        this.offsets = new long[names.size()];
        long at = dataStart;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = at;
            at += 4L * elements(shapes.get(i));
        }
        this.dataStart = dataStart;
        this.dataEnd = at;
        this.leading = leading;
        this.perBlock = perBlock;
        this.blocks = blocks;
    }

    /**
     * Writes the copy of the checkpoint in {@code source} into folder {@code dir} (created; an
     * earlier copy there is replaced only once the new one is complete).
     */
    public static F32Copy create(Path source, Path dir) throws IOException {
        LmConfig config = HfConfigReader.read(source.resolve("config.json"));
        // the full parameter order without loading every block: a model holding block 0 lists
        // embeddings, block 0, final norm and head; block l's tensors are block 0's renamed
        CausalLm probe = CausalLm.loadHeld(source, new TreeSet<>(List.of(0)));
        List<Param> held = probe.parameters();
        int perBlock = probe.blockParameters(0).size();
        int leading = held.indexOf(probe.blockParameters(0).get(0));
        int layers = config.dims().numLayers();
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < leading; i++) {
            names.add(held.get(i).name());
            shapes.add(held.get(i).shape());
        }
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < perBlock; j++) {
                Param p = held.get(leading + j);
                names.add(renameBlock(p.name(), 0, l));
                shapes.add(p.shape());
            }
        }
        for (int i = leading + perBlock; i < held.size(); i++) {
            names.add(held.get(i).name());
            shapes.add(held.get(i).shape());
        }
        probe = null;
        held = null;
        byte[] header = header(names, shapes);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "model-", ".safetensors.tmp");
        try {
            HfTensors src = HfTensors.open(source);
            try (FileChannel out =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len =
                        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                writeFully(out, len.flip(), 0);
                writeFully(out, ByteBuffer.wrap(header), 8);
                long at = 8L + header.length;
                for (int i = 0; i < names.size(); i++) {
                    float[] v = new float[Math.toIntExact(elements(shapes.get(i)))];
                    src.takeInto(names.get(i), shapes.get(i), v);
                    for (float x : v) {
                        if (!Float.isFinite(x)) {
                            throw new CheckpointException(source + ": tensor '" + names.get(i) + "' holds NaN or Inf");
                        }
                    }
                    writeFloats(out, at, v);
                    at += 4L * v.length;
                }
                out.force(false);
            }
            Files.copy(source.resolve("config.json"), dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    tmp,
                    dir.resolve(HfTensors.SINGLE),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new F32Copy(dir, names, shapes, 8L + header.length, leading, perBlock, layers);
    }

    /** {@code name} with its block index {@code from} (the first ".from." segment) replaced by {@code to}. */
    static String renameBlock(String name, int from, int to) {
        String f = "." + from + ".";
        int at = name.indexOf(f);
        if (at < 0) {
            throw new IllegalStateException(name + " does not name block " + from);
        }
        return name.substring(0, at) + "." + to + "." + name.substring(at + f.length());
    }

    private static byte[] header(List<String> names, List<int[]> shapes) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            ObjectNode n = root.putObject(names.get(i));
            n.put("dtype", "F32");
            var shape = n.putArray("shape");
            for (int d : shapes.get(i)) {
                shape.add(d);
            }
            long bytes = 4L * elements(shapes.get(i));
            n.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[(json.length + 7) / 8 * 8];
        System.arraycopy(json, 0, out, 0, json.length);
        java.util.Arrays.fill(out, json.length, out.length, (byte) ' ');
        return out;
    }

    private static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The folder: load models from it ({@link CausalLm#loadHeld}, {@link CausalLm#load}). */
    public Path dir() {
        return dir;
    }

    /** Number of tensors ({@link CausalLm#parameters} of the full model). */
    public int size() {
        return names.size();
    }

    public String name(int tensor) {
        return names.get(tensor);
    }

    /** Tensors before block 0 (token and position embeddings). */
    public int leading() {
        return leading;
    }

    /** Tensors per decoder block. */
    public int perBlock() {
        return perBlock;
    }

    /** Decoder blocks. */
    public int blocks() {
        return blocks;
    }

    /** Tensor {@code tensor}'s shape (a copy). */
    public int[] shape(int tensor) {
        return shapes.get(tensor).clone();
    }

    /** Number of floats of tensor {@code tensor}. */
    public int length(int tensor) {
        return Math.toIntExact(elements(shapes.get(tensor)));
    }

    /** Tensor {@code tensor}'s floats into {@code into} (of {@link #length}). */
    public void read(int tensor, float[] into) {
        check(tensor, into);
        try (FileChannel ch = FileChannel.open(dir.resolve(HfTensors.SINGLE), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            int done = 0;
            while (done < into.length) {
                int n = Math.min(CHUNK / 4, into.length - done);
                buf.clear().limit(4 * n);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, offsets[tensor] + 4L * done + buf.position()) < 0) {
                        throw new CheckpointException(dir + ": the F32 copy is truncated at tensor " + name(tensor));
                    }
                }
                buf.flip().asFloatBuffer().get(into, done, n);
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": reading tensor " + name(tensor), e);
        }
    }

    /** Overwrites tensor {@code tensor} on disk with {@code values} (of {@link #length}). */
    public void write(int tensor, float[] values) {
        check(tensor, values);
        try (FileChannel ch = FileChannel.open(dir.resolve(HfTensors.SINGLE), StandardOpenOption.WRITE)) {
            writeFloats(ch, offsets[tensor], values);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": writing tensor " + name(tensor), e);
        }
    }

    private void check(int tensor, float[] values) {
        if (values.length != length(tensor)) {
            throw new IllegalArgumentException(
                    "tensor " + name(tensor) + " has " + length(tensor) + " floats, not " + values.length);
        }
    }

    /** SHA-256 (hex) of the data section: the F32 LE bytes of every tensor in parameter order. */
    public String sha256() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(HfTensors.SINGLE), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            long at = dataStart;
            while (at < dataEnd) {
                buf.clear().limit((int) Math.min(CHUNK, dataEnd - at));
                int n = ch.read(buf, at);
                if (n < 0) {
                    throw new CheckpointException(dir + ": the F32 copy is truncated");
                }
                md.update(buf.array(), 0, buf.position());
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": reading the F32 copy", e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void writeFloats(FileChannel out, long at, float[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < v.length) {
            int n = Math.min(CHUNK / 4, v.length - done);
            buf.clear();
            buf.asFloatBuffer().put(v, done, n);
            buf.limit(4 * n);
            writeFully(out, buf, at + 4L * done);
            done += n;
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            pos += out.write(buf, pos);
        }
    }
}
