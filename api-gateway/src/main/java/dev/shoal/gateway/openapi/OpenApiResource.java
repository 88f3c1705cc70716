package dev.shoal.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.platform.client.ServiceClient;
import dev.shoal.platform.config.PublicUrl;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/openapi.json}: the gateway's own document and every service's, assembled.
 * Built at most once a minute; a service that does not answer is left out of that build (and the
 * document says so in {@code x-shoal-missing}) rather than failing the whole answer.
 */
@Path("/api/v1/openapi.json")
public class OpenApiResource {

    private static final Logger LOG = Logger.getLogger(OpenApiResource.class);
    private static final List<String> SERVICES = List.of("repo", "issue", "pipeline", "webhook");
    private static final Duration FRESH_FOR = Duration.ofMinutes(1);

    private final ServiceClient services;
    private final OpenApiDocumentService own;
    private final ObjectMapper mapper;
    private final String version;
    private final String publicUrl;
    private volatile Cached cached;

    private record Cached(ObjectNode document, long builtAtNanos, boolean complete) {
    }

    public OpenApiResource(ServiceClient services, OpenApiDocumentService own, ObjectMapper mapper,
                           @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version,
                           PublicUrl publicUrl) {
        this.services = services;
        this.own = own;
        this.mapper = mapper;
        this.version = version;
        this.publicUrl = publicUrl.base();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ObjectNode> document() {
        Cached current = cached;
        if (current != null && current.complete() && System.nanoTime() - current.builtAtNanos() < FRESH_FOR.toNanos()) {
            return Uni.createFrom().item(current.document());
        }
        List<Uni<Map.Entry<String, byte[]>>> fetches = new ArrayList<>();
        for (String service : SERVICES) {
            fetches.add(services.bytes(service, "/q/openapi?format=json")
                    .map(document -> document.map(bytes -> Map.entry(service, bytes)).orElse(null))
                    .onFailure().recoverWithItem(e -> {
                        LOG.debugf("no OpenAPI document from %s: %s", service, e.getMessage());
                        return null;
                    }));
        }
        // Parsing and merging the services' documents (megabytes of JSON) is CPU work: off the event loop.
        return Uni.join().all(fetches).andFailFast().emitOn(Infrastructure.getDefaultWorkerPool()).map(raw -> {
            List<Map.Entry<String, JsonNode>> documents = new ArrayList<>();
            for (Map.Entry<String, byte[]> document : raw) {
                JsonNode parsed = document == null ? null : parse(document.getKey(), document.getValue());
                documents.add(parsed == null ? null : Map.entry(document.getKey(), parsed));
            }
            OpenApiMerger merger = new OpenApiMerger(mapper, version, publicUrl).add("gateway", ownDocument());
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < SERVICES.size(); i++) {
                Map.Entry<String, JsonNode> document = documents.get(i);
                if (document == null) {
                    missing.add(SERVICES.get(i));
                } else {
                    merger.add(document.getKey(), document.getValue());
                }
            }
            ObjectNode result = merger.document();
            if (!missing.isEmpty()) {
                result.set("x-shoal-missing", mapper.valueToTree(missing));
            }
            cached = new Cached(result, System.nanoTime(), missing.isEmpty());
            return result;
        });
    }

    /** A service's document, or null (listed as missing) when it is not JSON. */
    private JsonNode parse(String service, byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            LOG.debugf("the OpenAPI document of %s is not JSON: %s", service, e.getMessage());
            return null;
        }
    }

    private JsonNode ownDocument() {
        try {
            return mapper.readTree(own.getDocument(Format.JSON));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
