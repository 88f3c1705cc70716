package dev.shoal.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.platform.error.ValidationException;
import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void defaultsToFirstPageOfThirty() {
        PageRequest page = PageRequest.of(null, null);
        assertThat(page.page()).isEqualTo(1);
        assertThat(page.perPage()).isEqualTo(30);
        assertThat(page.offset()).isZero();
    }

    @Test
    void computesOffset() {
        assertThat(PageRequest.of("3", "25").offset()).isEqualTo(50);
    }

    @Test
    void refusesOutOfRangeInsteadOfClamping() {
        assertThatThrownBy(() -> PageRequest.of("1", "101"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("per_page must be from 1 to 100, got 101");
        assertThatThrownBy(() -> PageRequest.of("0", null))
                .hasMessage("page must be from 1 to 21474836, got 0");
        assertThatThrownBy(() -> PageRequest.of("abc", null))
                .hasMessageContaining("page must be a whole number");
    }

    @Test
    void honoursEndpointSpecificLimits() {
        assertThat(PageRequest.of(null, null, 20, 50).perPage()).isEqualTo(20);
        assertThatThrownBy(() -> PageRequest.of(null, "51", 20, 50)).hasMessage("per_page must be from 1 to 50, got 51");
    }
}
