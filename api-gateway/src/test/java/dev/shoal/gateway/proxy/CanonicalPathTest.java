package dev.shoal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalPathTest {

    @Test
    void pathsThatNormalizeToThemselvesPass() {
        for (String path : new String[] {"/", "/api/v1/user", "/api/v1/repos/o/r/tree/", "/o/r.git/info/refs",
                "/api/v1/repos/o/r/blob/dir/a%20b.txt", "/api/v1/repos/o/r/blob/caf%C3%A9", "/api/v1/repos/o/r/blob/a%2Bb",
                "/api/v1/repos/o/r/blob/100%25", "/api/v1/repos/o/r/blob/.gitignore", "/api/v1/repos/o/r/blob/a..b",
                "/q/health/ready", "/storage/a%7Eb.git/info/refs"}) {
            assertThat(CanonicalPath.problem(path)).as(path).isNull();
        }
    }

    @Test
    void everySpellingThatNormalizesToSomethingElseIsRefused() {
        for (String path : new String[] {"", "api", "*", "/q/../api", "/q/..", "/q/.", "/q/%2e%2e/api", "/q/%2E%2e/api",
                "/q/.%2e/api", "/q/%c0%ae%c0%ae/api", "/q/%C0%AE./api", "/q/%e0%80%ae%e0%80%ae/api", "/q/%ff/api",
                "/q/%252e%252e/api", "/q/%252F/api", "/q/..;/api", "/api;x/v1", "/api%3bx/v1", "/api//v1", "//api",
                "/q/..%2fapi", "/q/..%2Fapi", "/q/..%5capi", "/q/..\\api", "/api\\v1", "/api/v1%00", "/api\u0000/v1",
                "/api/v1%0a", "/%61pi/v1", "/api/%2D", "/api#/../x", "/api/\u00e9", "/api/%", "/api/%2",
                "/api/%zz"}) {
            assertThat(CanonicalPath.problem(path)).as(path.replace("\u0000", "<NUL>")).isNotNull();
        }
    }
}
