package dev.atelier.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private final Config config =
            Config.of(Map.of("lr", 0.01, "steps", " 20 ", "big", 1L << 40, "amp", "Yes", "name", "gan"));

    @Test
    void typedGettersParseValuesAndFallBack() {
        assertThat(config.getDouble("lr", 0)).isEqualTo(0.01);
        assertThat(config.getInt("steps", 0)).isEqualTo(20);
        assertThat(config.getLong("big", 0)).isEqualTo(1L << 40);
        assertThat(config.getBoolean("amp", false)).isTrue();
        assertThat(config.getString("name", "?")).isEqualTo("gan");
        assertThat(config.getInt("absent", 7)).isEqualTo(7);
        assertThat(config.getDouble("absent", 0.5)).isEqualTo(0.5);
        assertThat(config.getBoolean("absent", true)).isTrue();
        assertThat(config.has("lr")).isTrue();
        assertThat(config.has("absent")).isFalse();
    }

    @Test
    void malformedValuesNameTheKey() {
        assertThatThrownBy(() -> config.getInt("lr", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lr'")
                .hasMessageContaining("integer")
                .hasMessageContaining("0.01");
        assertThatThrownBy(() -> config.getInt("big", 0)).hasMessageContaining("'big'");
        assertThatThrownBy(() -> config.getLong("name", 0)).hasMessageContaining("'name'");
        assertThatThrownBy(() -> config.getDouble("name", 0))
                .hasMessageContaining("'name'")
                .hasMessageContaining("number");
        assertThatThrownBy(() -> config.getBoolean("steps", false))
                .hasMessageContaining("'steps'")
                .hasMessageContaining("true or false");
    }

    @Test
    void withReturnsACopyAndNeverMutates() {
        Config more = config.with("lr", 0.1);
        assertThat(config.getDouble("lr", 0)).isEqualTo(0.01);
        assertThat(more.getDouble("lr", 0)).isEqualTo(0.1);
        assertThatThrownBy(() -> config.values().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copiesTheCallersMapAndSortsKeys() {
        Map<String, String> src = new HashMap<>(Map.of("b", "2", "a", "1"));
        Config c = new Config(src);
        src.put("c", "3");
        assertThat(c.values()).containsOnlyKeys("a", "b");
        assertThat(c.values().keySet()).containsExactly("a", "b");
        assertThat(c).isEqualTo(Config.of(Map.of("a", 1, "b", 2)));
    }
}
