package dev.atelier.core.workload;

import java.util.ServiceLoader;
import java.util.TreeMap;

/** Looks up {@link WorkloadProvider}s registered under META-INF/services. */
public final class WorkloadRegistry {
    private WorkloadRegistry() {}

    public static WorkloadProvider get(String name) {
        TreeMap<String, WorkloadProvider> all = new TreeMap<>();
        ServiceLoader.load(WorkloadProvider.class).forEach(p -> all.put(p.name(), p));
        WorkloadProvider p = all.get(name);
        if (p == null) {
            throw new IllegalArgumentException(
                    "unknown workload '" + name + "' (available: " + String.join(", ", all.keySet()) + ")");
        }
        return p;
    }
}
