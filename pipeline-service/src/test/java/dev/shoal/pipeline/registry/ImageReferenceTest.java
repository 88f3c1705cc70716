package dev.shoal.pipeline.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which stored registry covers which image, by Docker's naming rules. */
class ImageReferenceTest {

    @Test
    void hostAndPathFollowDockersRules() {
        assertThat(ImageReference.parse("ghcr.io/x/y:1")).isEqualTo(new ImageReference("ghcr.io", "x/y"));
        assertThat(ImageReference.parse("golang:1.22")).isEqualTo(new ImageReference("docker.io", "library/golang"));
        assertThat(ImageReference.parse("alpine")).isEqualTo(new ImageReference("docker.io", "library/alpine"));
        assertThat(ImageReference.parse("acme/tool:2")).isEqualTo(new ImageReference("docker.io", "acme/tool"));
        assertThat(ImageReference.parse("index.docker.io/library/alpine")).isEqualTo(new ImageReference("docker.io", "library/alpine"));
        assertThat(ImageReference.parse("docker.io/alpine:3")).isEqualTo(new ImageReference("docker.io", "library/alpine"));
        assertThat(ImageReference.parse("registry.example.com:5000/team/app:1.0"))
                .isEqualTo(new ImageReference("registry.example.com:5000", "team/app"));
        assertThat(ImageReference.parse("localhost/app")).isEqualTo(new ImageReference("localhost", "app"));
        assertThat(ImageReference.parse("Quay.IO/org/img@sha256:" + "a".repeat(64))).isEqualTo(new ImageReference("quay.io", "org/img"));
        assertThat(ImageReference.parse(" ")).isNull();
        assertThat(ImageReference.parse(null)).isNull();
    }

    @Test
    void addressesCoverTheirHostAndPath() {
        ImageReference ghcr = ImageReference.parse("ghcr.io/x/y:1");
        assertThat(ghcr.matches("ghcr.io")).isTrue();
        assertThat(ghcr.matches("https://ghcr.io/")).isTrue();
        assertThat(ghcr.matches("ghcr.io/x")).isTrue();
        assertThat(ghcr.matches("ghcr.io/x/y")).isTrue();
        assertThat(ghcr.matches("ghcr.io/xy")).isFalse();
        assertThat(ghcr.matches("ghcr.io/z")).isFalse();
        assertThat(ghcr.matches("docker.io")).isFalse();
        assertThat(ghcr.matches("ghcr.io:443")).isFalse();
        assertThat(ghcr.matches("")).isFalse();

        ImageReference hub = ImageReference.parse("golang:1.22");
        assertThat(hub.matches("docker.io")).isTrue();
        assertThat(hub.matches("index.docker.io")).isTrue();
        assertThat(hub.matches("https://index.docker.io/v1/")).isTrue();
        assertThat(hub.matches("registry-1.docker.io")).isTrue();
        assertThat(hub.matches("ghcr.io")).isFalse();
        assertThat(ImageReference.parse("acme/tool").matches("docker.io/acme")).isTrue();
        assertThat(ImageReference.parse("acme/tool").matches("docker.io/other")).isFalse();

        ImageReference port = ImageReference.parse("registry.example.com:5000/team/app");
        assertThat(port.matches("registry.example.com:5000")).isTrue();
        assertThat(port.matches("registry.example.com")).isFalse();
    }
}
