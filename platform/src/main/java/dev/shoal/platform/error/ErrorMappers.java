package dev.shoal.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become envelope errors. Resources and services throw; nothing else
 * builds an error body. The request path picks the dialect (Pagure's shape under {@code /api/0/}).
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        return ErrorResponses.of(request, e.status(), e.code(), e.getMessage(), e.details());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, HttpServerRequest request) {
        String message = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ErrorMappers::describe)
                .collect(Collectors.joining("; "));
        return ErrorResponses.of(request, 400, "validation_failed", message);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return ErrorResponses.of(request, 400, "validation_failed", JsonErrors.describe(e));
    }

    /** Declared apart so it takes precedence over Quarkus' built-in mapper for this type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response authentication(AuthenticationFailedException e, HttpServerRequest request) {
        return ErrorResponses.of(request, 401, "unauthorized", "missing or invalid internal credentials");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json(json, request);
        }
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 400 -> ErrorResponses.of(request, 400, "bad_request", "the request could not be read: send a valid JSON body");
            case 404 -> ErrorResponses.of(request, 404, "not_found", "no such resource");
            case 405 -> ErrorResponses.of(request, 405, "method_not_allowed", "this method is not allowed on this resource");
            case 406 -> ErrorResponses.of(request, 406, "not_acceptable", "this resource answers application/json");
            case 413 -> ErrorResponses.of(request, 413, "payload_too_large", "the request body is too large");
            case 415 -> ErrorResponses.of(request, 415, "unsupported_media_type",
                    "send the body as application/json (Content-Type: application/json)");
            default -> status >= 500 ? unexpected(e, request) : ErrorResponses.of(request, status, "bad_request", "the request was refused");
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (DatabaseOutage.causedBy(e)) {
            LOG.warnf("database unreachable: %s", e.toString());
            return Response.fromResponse(ErrorResponses.of(request, 503, ServiceUnavailableException.CODE,
                    "the database is not reachable right now; try again shortly"))
                    .header("Retry-After", "5").build();
        }
        String traceId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, trace id %s", traceId);
        return ErrorResponses.of(request, 500, "internal", "an unexpected error occurred; trace id " + traceId);
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return field.isEmpty() ? violation.getMessage() : field + " " + violation.getMessage();
    }

    /** Turns Jackson's failures into sentences that name the field and what was expected. */
    static final class JsonErrors {

        private JsonErrors() {
        }

        static String describe(JsonProcessingException e) {
            if (e instanceof UnrecognizedPropertyException unknown) {
                return "unknown field '" + unknown.getPropertyName() + "'";
            }
            if (e instanceof InvalidFormatException invalid) {
                return field(invalid) + " has the wrong type or format: expected "
                        + typeName(invalid.getTargetType());
            }
            if (e instanceof MismatchedInputException mismatched) {
                String field = field(mismatched);
                if (mismatched.getTargetType() != null && !field.equals("body")) {
                    return field + " has the wrong type: expected " + typeName(mismatched.getTargetType());
                }
                return "the body must be a JSON object with the documented fields";
            }
            String location = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return "malformed JSON" + location + ": check quotes, commas and brackets";
        }

        private static String field(JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return path.isEmpty() ? "body" : path;
        }

        private static String typeName(Class<?> type) {
            if (type == null) {
                return "a different value";
            }
            if (type == String.class) {
                return "a string";
            }
            if (type == Boolean.class || type == boolean.class) {
                return "true or false";
            }
            if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
                return "a number";
            }
            if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
                return "an array";
            }
            if (type.isEnum()) {
                return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                        .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
            }
            if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
                return "an RFC 3339 timestamp such as 2026-12-31T23:59:59Z";
            }
            return "an object";
        }
    }
}
