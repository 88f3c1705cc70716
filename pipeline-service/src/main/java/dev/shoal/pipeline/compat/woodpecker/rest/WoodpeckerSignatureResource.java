package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.platform.error.NotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Woodpecker's signing key route. It answers the public key of what Shoal signs: the ES256
 * internal JWT its gateway and services send each other (Shoal calls no configuration
 * extensions, Woodpecker's other use of this key).
 */
@Path("/api/signature")
public class WoodpeckerSignatureResource {

    private final Optional<String> publicKeyLocation;

    public WoodpeckerSignatureResource(
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation) {
        this.publicKeyLocation = publicKeyLocation;
    }

    @GET
    @Path("/public-key")
    @Produces(MediaType.TEXT_PLAIN)
    public String publicKey() {
        String location = publicKeyLocation.orElseThrow(() -> new NotFoundException("no signing key is configured"));
        String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        try {
            java.nio.file.Path file = java.nio.file.Path.of(path.startsWith("file:") ? path.substring(5) : path);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new NotFoundException("the signing key is not readable here");
                }
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new NotFoundException("the signing key is not readable here");
        }
    }
}
