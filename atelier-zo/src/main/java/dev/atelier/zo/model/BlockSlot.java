package dev.atelier.zo.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One decoder block's F32 arrays, allocated once and refilled from the checkpoint on disk (the
 * client's F32 master copy) with whichever frozen block a forward needs next: the cheaper resident
 * form of a frozen block is one shared slot, not its own arrays. Reads go through {@link
 * HfModelLoader#readBlockInto} (positional reads, page cache only), so a refilled slot equals the
 * block loaded on its own bit for bit. Not thread-safe (one slot).
 */
final class BlockSlot {
    private final Path dir;
    private final LmConfig config;
    /** The checkpoint, opened once (opening maps every tensor and parses the header). */
    private HfTensors tensors;

    private DecoderBlock slot;
    /** The block the slot was first loaded as (its parameter names), and the one it holds now. */
    private int names = -1;

    private int holds = -1;

    BlockSlot(Path dir, LmConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** The checkpoint changed: the next {@link #load} reads from disk whatever the slot holds. */
    void forget() {
        holds = -1;
    }

    /** Block {@code layer}, read into the slot unless it holds it already. */
    DecoderBlock load(int layer) {
        try {
            if (tensors == null) {
                tensors = HfTensors.open(dir);
            }
            if (slot == null) {
                slot = HfModelLoader.block(tensors, config, layer);
                names = layer;
            } else if (holds != layer) {
                HfModelLoader.readBlockInto(tensors, slot, names, layer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading frozen block " + layer + " from " + dir, e);
        }
        holds = layer;
        return slot;
    }
}
