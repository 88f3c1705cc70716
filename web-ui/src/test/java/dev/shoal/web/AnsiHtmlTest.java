package dev.shoal.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnsiHtmlTest {

    private static final String ESC = "\u001b";

    @Test
    void coloursBecomeSpansWithClasses() {
        assertThat(AnsiHtml.toHtml(ESC + "[31mred" + ESC + "[0m plain " + ESC + "[1;92mbold green" + ESC + "[m\n"))
                .isEqualTo("<span class=\"ansi-fg1\">red</span> plain <span class=\"ansi-fg10 ansi-bold\">bold green</span>\n");
    }

    @Test
    void everythingElseIsEscaped() {
        String html = AnsiHtml.toHtml("<script>alert('x')</script> & \"q\" " + ESC + "[32m<img src=x onerror=alert(1)>" + ESC + "[0m");
        assertThat(html).doesNotContain("<script").doesNotContain("<img")
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; "
                        + "<span class=\"ansi-fg2\">&lt;img src=x onerror=alert(1)&gt;</span>");
    }

    @Test
    void aCraftedSequenceCannotInjectAClassOrMarkup() {
        // parameters that are not numbers are ignored, never copied into the class attribute
        String html = AnsiHtml.toHtml(ESC + "[31;\"><script>m after");
        assertThat(html).doesNotContain("<script").doesNotContain("\">");
    }

    @Test
    void otherEscapeSequencesAndControlCharactersAreDropped() {
        assertThat(AnsiHtml.toHtml("a" + ESC + "[2Kb" + ESC + "[1Ac\r\u0007d\te" + ESC + "]")).isEqualTo("abcd\te");
    }

    @Test
    void coloursCarryOverChunksAndASplitSequenceWaitsForItsEnd() {
        AnsiHtml follow = new AnsiHtml();
        String first = follow.feed("one " + ESC + "[3");
        String second = follow.feed("4mblue\n");
        String third = follow.feed("still blue" + ESC + "[0m done");
        assertThat(first).isEqualTo("one ");
        assertThat(second).isEqualTo("<span class=\"ansi-fg4\">blue\n</span>");
        assertThat(third).isEqualTo("<span class=\"ansi-fg4\">still blue</span> done");
    }

    @Test
    void backgroundsAnd256ColoursAmongTheSixteen() {
        assertThat(AnsiHtml.toHtml(ESC + "[41;38;5;11mx" + ESC + "[38;2;1;2;3my" + ESC + "[49;39mz"))
                .isEqualTo("<span class=\"ansi-fg11 ansi-bg1\">x</span><span class=\"ansi-fg11 ansi-bg1\">y</span>z");
    }
}
