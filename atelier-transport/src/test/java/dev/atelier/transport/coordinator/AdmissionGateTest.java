package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionGateTest {
    @Test
    void admitsUpToThePermitsThenInArrivalOrder() {
        AdmissionGate gate = new AdmissionGate("uploads", 2);
        List<String> granted = new ArrayList<>();
        var a = gate.admit(() -> granted.add("a"));
        var b = gate.admit(() -> granted.add("b"));
        var c = gate.admit(() -> granted.add("c"));
        var d = gate.admit(() -> granted.add("d"));
        assertThat(granted).containsExactly("a", "b");
        gate.release(a);
        assertThat(granted).containsExactly("a", "b", "c");
        gate.release(a); // idempotent: no extra permit
        assertThat(granted).containsExactly("a", "b", "c");
        gate.release(d); // d leaves the line before its turn
        gate.release(b);
        gate.release(c);
        assertThat(granted).containsExactly("a", "b", "c");
        var e = gate.admit(() -> granted.add("e"));
        var f = gate.admit(() -> granted.add("f"));
        var g = gate.admit(() -> granted.add("g"));
        assertThat(granted).containsExactly("a", "b", "c", "e", "f");
        gate.release(e);
        gate.release(f);
        gate.release(g);
        assertThat(granted).containsExactly("a", "b", "c", "e", "f", "g");
    }

    @Test
    void needsAtLeastOnePermit() {
        assertThatThrownBy(() -> new AdmissionGate("uploads", 0))
                .hasMessageContaining("max concurrent uploads must be >= 1");
    }
}
