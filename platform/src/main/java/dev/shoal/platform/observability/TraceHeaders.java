package dev.shoal.platform.observability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Carries the trace context across the outbox: a request (or consumer) that writes an event stores
 * its context with the row, the relay puts it into the Kafka record's headers, and the consumer
 * continues the trace from them. Quarkus traces HTTP (server, Vert.x client) and SQL by itself, but
 * not Shoal's outbox, whose publishing happens later on another thread with the plain Kafka client.
 * With the SDK disabled (the default) every method is a cheap no-op: nothing is stored or sent.
 */
@ApplicationScoped
public class TraceHeaders {

    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {
    };

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static final TextMapGetter<Headers> KAFKA_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final TextMapPropagator propagator;
    private final Tracer tracer;
    private final ObjectMapper mapper;

    public TraceHeaders(OpenTelemetry openTelemetry, ObjectMapper mapper) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.tracer = openTelemetry.getTracer("dev.shoal.platform");
        this.mapper = mapper;
    }

    /** The current trace context as JSON text-map headers, or null when there is none to carry. */
    public String capture() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new LinkedHashMap<>();
        propagator.inject(Context.current(), carrier, Map::put);
        if (carrier.isEmpty()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(carrier);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The context stored by {@link #capture()}; the root context for null or unreadable text. */
    public Context restore(String stored) {
        if (stored == null || stored.isEmpty()) {
            return Context.root();
        }
        try {
            return propagator.extract(Context.root(), mapper.readValue(stored, MAP), MAP_GETTER);
        } catch (JsonProcessingException e) {
            return Context.root();
        }
    }

    /** The context a producer put into a Kafka record's headers. */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** Writes {@code context} into a Kafka record's headers (replacing any earlier copy). */
    public void inject(Context context, Headers headers) {
        propagator.inject(context, headers, (carrier, key, value) -> {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        });
    }

    /**
     * A span for a Kafka message, child of {@code parent}; an invalid (non-recording) span when the
     * parent carries no trace, so events written outside any trace do not start a trace each.
     */
    public Span messagingSpan(Context parent, String name, SpanKind kind, String topic) {
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return Span.getInvalid();
        }
        SpanBuilder builder = tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(kind)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic);
        return builder.startSpan();
    }
}
