package dev.atelier.core.params;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link Safetensors#decode} with the same oracle as
 * {@link SafetensorsFuzzTest}: decoded tensors lie inside the input, or a one-line
 * {@link SafetensorsException}, within 5 s. In the default build this replays the committed inputs
 * in {@code src/test/resources/dev/atelier/core/params/SafetensorsCoverageFuzzTestInputs/decode/};
 * {@code JAZZER_FUZZ=1} fuzzes for real (docs/security.md has the command).
 */
class SafetensorsCoverageFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void decode(byte[] input) {
        SafetensorsFuzzTest.decodeBounded(input);
    }
}
