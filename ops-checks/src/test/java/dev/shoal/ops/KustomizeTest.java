package dev.shoal.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KustomizeTest {

    private static final Path LOCAL = Path.of(System.getProperty("shoal.k8s.dir", "../deploy/k8s"), "overlays", "local");

    @Test
    void withoutKubectlTheChecksFailWithTheReasonInsteadOfSkipping() {
        assertThatThrownBy(() -> Kustomize.run(LOCAL, "/nonexistent-bin"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("kubectl is not on the PATH")
                .hasMessageContaining("kubectl kustomize");
    }

    @Test
    void aBrokenKustomizationFailsWithKubectlsOwnMessage() {
        assertThatThrownBy(() -> Kustomize.run(Path.of("/nonexistent-overlay"), System.getenv("PATH")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("kubectl kustomize /nonexistent-overlay failed");
    }

    @Test
    void rendersTheOverlayWithTheRealKustomize() {
        assertThat(Kustomize.build(LOCAL)).extracting(o -> o.get("kind")).contains("Deployment", "StatefulSet", "Kafka");
    }
}
