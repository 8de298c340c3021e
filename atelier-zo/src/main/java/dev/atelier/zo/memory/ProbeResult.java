package dev.atelier.zo.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One child JVM's measurement (bytes, seconds), as the memory protocol defines it:
 * {@code baselineRss} is VmRSS of the idle engine, before the client does anything, minus its
 * eden, which the probe made resident first (the peak is reset there); {@code loadPeak} the VmHWM after the engine warm-up and the model's load;
 * {@code stepPeak} the VmHWM over the ZO steps alone (the peak is reset after loading and a GC);
 * {@code residentModelBytes} the F32 bytes of the parameters the client holds, {@code
 * fullModelBytes} those of the whole model. {@code secondsPerStep} is the mean wall time of a
 * step, prefix included; {@code lastLoss} the mean of the last step's two losses. {@code warmedRss}
 * is VmRSS after the engine warm-up ({@link EngineWarmup}; −1 when the probe does not warm),
 * {@code runtimeGrowth} the committed metaspace and JIT code-heap bytes added after it (−1 when
 * not read). Immutable.
 */
public record ProbeResult(
        long baselineRss,
        long loadPeak,
        long stepPeak,
        long residentModelBytes,
        long fullModelBytes,
        double secondsPerStep,
        double lastLoss,
        long warmedRss,
        long runtimeGrowth) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A probe that neither warms its engine nor reads the runtime pools (the first-order probe). */
    public ProbeResult(
            long baselineRss,
            long loadPeak,
            long stepPeak,
            long residentModelBytes,
            long fullModelBytes,
            double secondsPerStep,
            double lastLoss) {
        this(baselineRss, loadPeak, stepPeak, residentModelBytes, fullModelBytes, secondsPerStep, lastLoss, -1, -1);
    }

    /** Peak RSS over the client's whole life (warm-up, load and steps) minus the idle engine's RSS. */
    public long measuredPeak() {
        return Math.max(loadPeak, stepPeak) - baselineRss;
    }

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("baseline_rss", baselineRss).put("load_peak", loadPeak).put("step_peak", stepPeak);
        o.put("peak_minus_baseline", measuredPeak());
        o.put("resident_model_bytes", residentModelBytes).put("full_model_bytes", fullModelBytes);
        o.put("seconds_per_step", secondsPerStep).put("last_loss", lastLoss);
        o.put("warmed_rss", warmedRss).put("runtime_growth", runtimeGrowth);
        return o.toString();
    }

    public static ProbeResult fromJson(String text) {
        try {
            JsonNode o = JSON.readTree(text);
            return new ProbeResult(
                    o.get("baseline_rss").longValue(),
                    o.get("load_peak").longValue(),
                    o.get("step_peak").longValue(),
                    o.get("resident_model_bytes").longValue(),
                    o.get("full_model_bytes").longValue(),
                    o.get("seconds_per_step").doubleValue(),
                    o.get("last_loss").doubleValue(),
                    o.path("warmed_rss").asLong(-1),
                    o.path("runtime_growth").asLong(-1));
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a probe result: '" + text + "' (" + e.getMessage() + ")");
        }
    }
}
