package dev.atelier.ml.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.ml.data.FashionMnist;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifierClassesTest {
    @Test
    void theDeclaredClassesDefaultToFashionMnistAndAreReadFromTheWorkloadSettings() {
        assertThat(ClassifierProvider.classes(Config.empty())).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(ClassifierProvider.classes(Config.of(Map.of("classes", "coat, dress ,bag"))))
                .isEqualTo(List.of("coat", "dress", "bag"));
        for (String bad : List.of("", "a,,b", "a,a", "1,2,3,4,5,6,7,8,9,10,11")) {
            assertThatThrownBy(() -> ClassifierProvider.classes(Config.of(Map.of("classes", bad))))
                    .as(bad)
                    .hasMessageStartingWith("'classes' must list 1 to 10 distinct non-empty class names");
        }
    }
}
