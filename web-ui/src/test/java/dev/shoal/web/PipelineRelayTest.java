package dev.shoal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jakarta.ws.rs.sse.OutboundSseEvent;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

/** The web-ui end of a followed log: the API's events, cut anywhere, come out whole and as HTML. */
class PipelineRelayTest {

    @Test
    void eventsCutAcrossBuffersComeOutWholeWithHtmlData() {
        String stream = "event: log\nid: 12\ndata: \u001b[32mfirst <b>\ndata: \n\nevent: log\nid: 25\ndata: s\u00e9cond\u001b[0m\n\n"
                + "event: end\nid: 25\ndata: \n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        PipelinePages.Relay relay = new PipelinePages.Relay(new SseImpl());
        List<OutboundSseEvent> events = new ArrayList<>();
        // three bytes at a time: lines, events and the two bytes of é are all cut somewhere
        for (int i = 0; i < bytes.length; i += 3) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 3));
            events.addAll(relay.accept(piece));
        }
        assertThat(events).extracting(OutboundSseEvent::getName).containsExactly("log", "log", "end");
        assertThat(events).extracting(OutboundSseEvent::getId).containsExactly("12", "25", "25");
        assertThat(events.get(0).getData()).isEqualTo("<span class=\"ansi-fg2\">first &lt;b&gt;\n</span>");
        assertThat(events.get(1).getData()).isEqualTo("<span class=\"ansi-fg2\">s\u00e9cond</span>");
        assertThat(events.get(2).getData()).isEqualTo("");
    }
}
