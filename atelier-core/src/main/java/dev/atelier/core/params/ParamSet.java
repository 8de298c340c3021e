package dev.atelier.core.params;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An ordered, immutable map of hierarchical parameter names ({@code disc.block1.conv.weight}) to
 * tensors: the unit that is trained, filtered, aggregated, checkpointed and sent.
 * Thread-safe (immutable).
 */
public final class ParamSet {
    private static final ParamSet EMPTY = new ParamSet(new LinkedHashMap<>());
    private final Map<String, Tensor> tensors;

    private ParamSet(LinkedHashMap<String, Tensor> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public static ParamSet empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Copies an ordered map; iteration order is kept. */
    public static ParamSet of(Map<String, Tensor> tensors) {
        Builder b = builder();
        tensors.forEach(b::put);
        return b.build();
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(
                    "no parameter named '" + name + "' (have " + tensors.size() + " parameters)");
        }
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Names in insertion order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public Map<String, Tensor> asMap() {
        return tensors;
    }

    public int size() {
        return tensors.size();
    }

    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** Total payload bytes (sum of tensor data sizes, no headers). */
    public long byteSize() {
        return tensors.values().stream().mapToLong(Tensor::byteSize).sum();
    }

    public long numElements() {
        return tensors.values().stream().mapToLong(Tensor::numElements).sum();
    }

    /** The subset whose names satisfy {@code keep}, in the same order. */
    public ParamSet select(Predicate<String> keep) {
        Builder b = builder();
        tensors.forEach((k, v) -> {
            if (keep.test(k)) {
                b.put(k, v);
            }
        });
        return b.build();
    }

    /** This set with every tensor of {@code overrides} replacing (or adding) the same name. */
    public ParamSet merge(ParamSet overrides) {
        Builder b = builder();
        tensors.forEach(b::put);
        overrides.tensors.forEach(b::put);
        return b.build();
    }

    /** True when both sets have the same names in the same order with the same shapes and dtypes. */
    public boolean sameSpec(ParamSet other) {
        if (!List.copyOf(names()).equals(List.copyOf(other.names()))) {
            return false;
        }
        for (var e : tensors.entrySet()) {
            if (!e.getValue().sameSpec(other.tensors.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSet p
                && List.copyOf(names()).equals(List.copyOf(p.names()))
                && tensors.equals(p.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "ParamSet(" + size() + " tensors, " + byteSize() + " bytes)";
    }

    /** Collects tensors in order; duplicate names replace the earlier tensor in place. */
    public static final class Builder {
        private final LinkedHashMap<String, Tensor> map = new LinkedHashMap<>();

        public Builder put(String name, Tensor tensor) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("parameter name must not be blank");
            }
            map.put(name, java.util.Objects.requireNonNull(tensor, "tensor for " + name));
            return this;
        }

        public Builder putF32(String name, long[] shape, float[] values) {
            return put(name, Tensor.f32(shape, values));
        }

        public ParamSet build() {
            return map.isEmpty() ? EMPTY : new ParamSet(new LinkedHashMap<>(map));
        }
    }
}
