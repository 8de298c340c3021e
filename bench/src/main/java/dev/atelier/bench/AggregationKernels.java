package dev.atelier.bench;

import dev.atelier.core.aggregate.WeightedMeanAggregator;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH pair measured side by side: folding one reply into the streaming FedAvg aggregator versus a
 * plain loop that only reads the same bytes (the memory-bandwidth floor for the same data).
 * The figure of merit is their throughput ratio, printed by {@link BenchMain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AggregationKernels {
    /** Reply size in MiB of float32 parameters. */
    @Param("64")
    public int megabytes;

    private Reply reply;
    private FloatBuffer raw;
    private WeightedMeanAggregator aggregator;

    @Setup(Level.Trial)
    public void setUp() {
        int n = megabytes * 1024 * 1024 / 4;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 1000) * 1e-3f;
        }
        Tensor t = Tensor.f32(new long[] {n}, v);
        reply = new Reply("bench", 1, ParamSet.builder().put("w", t).build(), 10, Map.of(), null);
        raw = t.data().asFloatBuffer();
    }

    @Setup(Level.Iteration)
    public void freshAggregator() {
        aggregator = new WeightedMeanAggregator();
    }

    @Benchmark
    public int fedavgFold() throws dev.atelier.core.filter.RejectedPayloadException {
        aggregator.accept(reply);
        return aggregator.accepted();
    }

    @Benchmark
    public double memoryRead() {
        // Four independent sums so the loop is bound by memory, not by one add-latency chain.
        FloatBuffer b = raw;
        int n = b.limit() & ~3;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int i = 0; i < n; i += 4) {
            s0 += b.get(i);
            s1 += b.get(i + 1);
            s2 += b.get(i + 2);
            s3 += b.get(i + 3);
        }
        return s0 + s1 + s2 + s3;
    }

    /** Bytes of parameters each benchmark invocation touches. */
    public static long bytesPerOp(int megabytes) {
        return megabytes * 1024L * 1024L;
    }
}
