package dev.atelier.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DJL's cache folder: inside the studio home unless the designer chose one. */
class DjlCacheTest {
    private final Path home = Path.of("/tmp/studio-home");

    @Test
    void withNothingChosenTheCacheGoesIntoTheStudioHome() {
        Properties props = new Properties();
        assertThat(DjlCache.choose(home, Map.of(), props)).isEqualTo(home.resolve("djl"));
        assertThat(props.getProperty("DJL_CACHE_DIR"))
                .isEqualTo(home.resolve("djl").toString());
    }

    @Test
    void aFolderSetInTheEnvironmentOrAsPropertyIsKept() {
        Properties props = new Properties();
        assertThat(DjlCache.choose(home, Map.of("DJL_CACHE_DIR", "/data/djl"), props))
                .isEqualTo(Path.of("/data/djl"));
        assertThat(props).isEmpty();
        props.setProperty("ENGINE_CACHE_DIR", "/opt/engines");
        assertThat(DjlCache.choose(home, Map.of(), props)).isEqualTo(Path.of("/opt/engines"));
        assertThat(props.getProperty("DJL_CACHE_DIR")).isNull();
    }
}
