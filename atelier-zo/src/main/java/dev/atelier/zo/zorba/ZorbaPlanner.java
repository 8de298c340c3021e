package dev.atelier.zo.zorba;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.zo.alloc.Allocation;
import dev.atelier.zo.alloc.AllocationException;
import dev.atelier.zo.alloc.AllocationSession;
import dev.atelier.zo.alloc.ClientSpec;
import dev.atelier.zo.alloc.Residency;
import dev.atelier.zo.fed.BlockLayout;
import dev.atelier.zo.fed.BlockMask;
import dev.atelier.zo.fed.BlockPlanner;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.LmConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * ZorBA's coordinator side as a {@link BlockPlanner}: each training round it turns the
 * instructed nodes' declarations ({@link Declared}: memory budget, examples) into allocator
 * clients (block-independent part of the peak from {@link MemoryModel#PROTOCOL} for the run's
 * batch rows × sequence length), keeps the {@link AllocationSession} in step with them (join,
 * leave, new budget: re-solve; otherwise the last solution stands) and tells each node its blocks
 * or why it is left out. A node without a usable declaration, or whose budget cannot hold even the
 * top block, is left out with a one-line reason. Every round's allocation goes to {@code sink}
 * (e.g. {@code allocations.jsonl}) and into the checkpointed server state
 * ({@value #STATE}: the JSON lines' UTF-8 bytes packed into an I32 tensor, padded with newlines).
 * Not thread-safe: the run's thread drives it.
 */
public final class ZorbaPlanner implements BlockPlanner {
    public static final String STATE = "zo.alloc.history";

    /**
     * ZorBA's memory rule, everywhere it is planned or measured (coordinator, demo, bench): a node
     * holds only its active blocks (with embeddings, final norm, head and one slot for the frozen
     * blocks it reads from its F32 copy; {@link dev.atelier.zo.memory.ClientMode#ACTIVE_ONLY}).
     */
    public static final Residency RESIDENCY = Residency.ACTIVE;

    private final LmConfig config;
    private final BlockLayout layout;
    private final int rows;
    private final int seqLen;
    private final AllocationSession session;
    private final Residency residency;
    private final Function<NodeInfo, Declared> declared;
    private final Consumer<Allocation> sink;
    private final Map<String, ClientSpec> inSession = new HashMap<>();
    private final Map<String, String> notDeclared = new LinkedHashMap<>();
    private final List<String> history = new ArrayList<>();
    private Allocation current;
    private String failure;

    /**
     * @param rows     batch rows per ZO step (the run's {@code batch_size})
     * @param seqLen   tokens per row (the workload's {@code max_len}, at most the model's positions)
     * @param declared how to read a node's declaration ({@link Declared#of} in deployment; a
     *                 simulation's per-store table)
     * @param sink     gets every round's allocation (may be a no-op)
     */
    public ZorbaPlanner(
            LmConfig config,
            BlockLayout layout,
            int rows,
            int seqLen,
            double coverageFloor,
            double epsilon,
            boolean lexicographic,
            Function<NodeInfo, Declared> declared,
            Consumer<Allocation> sink) {
        this(config, layout, rows, seqLen, coverageFloor, epsilon, lexicographic, RESIDENCY, 0, declared, sink);
    }

    /**
     * A simulation's planner: each store's declaration comes from {@code declared} by node id (a
     * store missing there is refused as a node that declared no budget), and every round's
     * allocation is appended to {@code allocationLog}; {@code alwaysScalars} as in the main
     * constructor.
     */
    public static ZorbaPlanner simulated(
            LmConfig config,
            BlockLayout layout,
            int rows,
            int seqLen,
            double coverageFloor,
            double epsilon,
            boolean lexicographic,
            long alwaysScalars,
            Map<String, Declared> declared,
            java.nio.file.Path allocationLog) {
        return new ZorbaPlanner(
                config,
                layout,
                rows,
                seqLen,
                coverageFloor,
                epsilon,
                lexicographic,
                RESIDENCY,
                alwaysScalars,
                node -> {
                    Declared d = declared.get(node.nodeId());
                    if (d == null) {
                        throw new IllegalArgumentException("declared no " + Declared.MEMORY_BUDGET);
                    }
                    return d;
                },
                a -> {
                    try {
                        AllocationSession.append(allocationLog, a);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    /**
     * {@code residency}: what the nodes hold for their blocks, counted against their budgets and
     * sent to them ({@link dev.atelier.zo.fed.SyncKeys#HOLD}); ZorBA's is {@link #RESIDENCY}.
     * {@code alwaysScalars}: what every admitted node perturbs besides its blocks ({@code
     * zo.always_trainable}, {@link dev.atelier.zo.fed.UpdateScope#alwaysScalars}; 0 = none),
     * counted in the convergence proxy ({@link dev.atelier.zo.alloc.BlockCosts#alwaysParams}).
     */
    public ZorbaPlanner(
            LmConfig config,
            BlockLayout layout,
            int rows,
            int seqLen,
            double coverageFloor,
            double epsilon,
            boolean lexicographic,
            Residency residency,
            long alwaysScalars,
            Function<NodeInfo, Declared> declared,
            Consumer<Allocation> sink) {
        if (layout.blocks() != config.dims().numLayers() || layout.blocks() > BlockMask.MAX_BLOCKS) {
            throw new IllegalArgumentException("ZorBA needs the model's "
                    + config.dims().numLayers() + " blocks in the layout, at most " + BlockMask.MAX_BLOCKS);
        }
        this.config = config;
        this.layout = layout;
        this.rows = rows;
        this.seqLen = seqLen;
        this.residency = residency;
        this.session = new AllocationSession(
                MemoryModel.blockCosts(config).withAlways(alwaysScalars),
                coverageFloor,
                epsilon,
                lexicographic,
                residency);
        this.declared = declared;
        this.sink = sink;
    }

    @Override
    public BlockLayout layout() {
        return layout;
    }

    @Override
    public void beginRound(int round, List<NodeInfo> nodes) {
        notDeclared.clear();
        Map<String, ClientSpec> now = new LinkedHashMap<>();
        for (NodeInfo n : nodes) {
            try {
                Declared d = declared.apply(n);
                now.put(
                        n.nodeId(),
                        MemoryModel.PROTOCOL.client(n.nodeId(), d.budgetBytes(), d.examples(), config, rows, seqLen));
            } catch (IllegalArgumentException e) {
                notDeclared.put(n.nodeId(), e.getMessage());
            }
        }
        for (String id : List.copyOf(inSession.keySet())) {
            if (!now.containsKey(id)) {
                session.leave(id);
                inSession.remove(id);
            }
        }
        now.forEach((id, spec) -> {
            if (!spec.equals(inSession.get(id))) {
                session.join(spec);
                inSession.put(id, spec);
            }
        });
        failure = null;
        current = null;
        if (inSession.isEmpty()) {
            failure = "no node declared a usable memory budget";
            return;
        }
        try {
            Allocation a = session.allocate(round);
            List<Allocation.Exclusion> excluded = new ArrayList<>(a.excluded());
            notDeclared.forEach((id, why) -> excluded.add(new Allocation.Exclusion(id, why)));
            current = new Allocation(
                    a.round(),
                    a.blocks(),
                    a.assigned(),
                    excluded,
                    a.proxy(),
                    a.bestProxy(),
                    a.totalMemory(),
                    a.coverageFloor(),
                    a.epsilon(),
                    a.lexicographic());
            history.add(current.toJson());
            sink.accept(current);
        } catch (AllocationException e) {
            failure = e.getMessage();
        }
    }

    @Override
    public Part part(int round, NodeInfo node) {
        String id = node.nodeId();
        if (notDeclared.containsKey(id)) {
            return Part.leftOut(notDeclared.get(id));
        }
        if (current == null || current.round() != round) {
            return Part.leftOut(failure != null ? failure : "round " + round + " was not planned");
        }
        var blocks = current.blocksOf(id);
        if (!blocks.isEmpty()) {
            return Part.blocks(BlockMask.of(blocks));
        }
        return Part.leftOut(current.exclusionOf(id)
                .map(Allocation.Exclusion::reason)
                .orElse("not in round " + round + "'s allocation"));
    }

    /** The allocation of the round last planned (null before the first, or when none was possible). */
    public Allocation current() {
        return current;
    }

    /** Every round's allocation so far, this process's and a restored run's, in order. */
    public List<Allocation> history() {
        return history.stream().map(Allocation::fromJson).toList();
    }

    /** What the planned nodes hold for their blocks. */
    @Override
    public Residency residency() {
        return residency;
    }

    /** How often the allocator ran (re-solves happen only after a change). */
    public int solves() {
        return session.solves();
    }

    @Override
    public ParamSet state() {
        if (history.isEmpty()) {
            return ParamSet.empty();
        }
        byte[] text = (String.join("\n", history) + "\n").getBytes(StandardCharsets.UTF_8);
        int words = (text.length + 3) / 4;
        ByteBuffer b = ByteBuffer.allocate(4 * words).order(ByteOrder.LITTLE_ENDIAN);
        b.put(text);
        while (b.hasRemaining()) {
            b.put((byte) '\n');
        }
        return ParamSet.builder()
                .put(STATE, Tensor.of(DType.I32, new long[] {words}, b.flip()))
                .build();
    }

    @Override
    public void restore(ParamSet state) {
        if (state.isEmpty()) {
            return;
        }
        Tensor t = state.get(STATE);
        if (state.size() != 1 || t == null || t.dtype() != DType.I32 || t.shape().length != 1) {
            throw new IllegalArgumentException(
                    "zorba server state must be one I32 tensor " + STATE + ", got " + state.names());
        }
        ByteBuffer d = t.data();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        history.clear();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                history.add(Allocation.fromJson(line).toJson()); // validates each line
            }
        }
    }
}
