package dev.shoal.repo.content.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectStream;

/** Streams a blob from the object store without holding it in memory. */
public final class RawBlobs {

    private RawBlobs() {
    }

    public static Response stream(ObjectLoader loader, String path) {
        StreamingOutput body = out -> {
            try (ObjectStream in = loader.openStream()) {
                in.transferTo(out);
            }
        };
        String file = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Length", loader.getSize())
                .header("Content-Disposition", "inline; filename=\"" + file + "\"")
                .build();
    }
}
