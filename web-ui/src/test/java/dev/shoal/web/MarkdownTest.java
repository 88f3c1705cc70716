package dev.shoal.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownTest {

    private final Markdown markdown = new Markdown();

    @Test
    void scriptsAndHandlersNeverSurvive() {
        String html = markdown.render("hello <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
                + "[click](javascript:alert(3)) <a href=\"x\" onclick=\"alert(4)\">a</a>");
        assertThat(html).doesNotContain("<script").doesNotContain("onerror=").doesNotContain("javascript:")
                .doesNotContain("onclick=").doesNotContain("<img").contains("&lt;script&gt;");
    }

    @Test
    void formattingLinksTablesAndCodeAreKept() {
        String html = markdown.render("# Title\n\n**bold** and [a link](https://example.com)\n\n```java\nint x = 1 < 2;\n```\n");
        assertThat(html).contains("<h1>Title</h1>").contains("<strong>bold</strong>")
                .contains("href=\"https://example.com\"").contains("rel=\"nofollow")
                .contains("<code class=\"language-java\">int x &#61; 1 &lt; 2;");
    }

    @Test
    void aCodeClassOtherThanALanguageIsDropped() {
        assertThat(markdown.render("```x\" onmouseover=\"alert(1)\nhi\n```")).doesNotContain("onmouseover=\"");
    }
}
