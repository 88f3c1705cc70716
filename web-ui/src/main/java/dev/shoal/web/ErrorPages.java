package dev.shoal.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Plain error pages: a status and a sentence, never a stack trace. */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    private final Template error;

    public ErrorPages(@Location("error.html") Template error) {
        this.error = error;
    }

    @ServerExceptionMapper
    public Response web(WebException e) {
        if (e.status() == 401) {
            return Pages.seeOther("/login").build();
        }
        return page(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(404, WebException.notFound().getMessage());
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return page(405, "This page cannot be used that way.");
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String trace = UUID.randomUUID().toString();
        LOG.errorf(e, "a page failed, trace id %s", trace);
        return page(500, "Something went wrong on our side (trace id " + trace + "). Try again in a moment.");
    }

    Response page(int status, String message) {
        String title = switch (status) {
            case 400 -> "Cannot do that";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 429 -> "Slow down";
            case 503, 504 -> "Unavailable";
            default -> status >= 500 ? "Error" : "Cannot do that";
        };
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(error.data("status", status).data("title", title).data("message", message)
                        .data("v", new Visitor(null, null, null)).render())
                .build();
    }
}
