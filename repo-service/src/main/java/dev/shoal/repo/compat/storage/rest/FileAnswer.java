package dev.shoal.repo.compat.storage.rest;

import dev.shoal.platform.api.EntityTags;
import dev.shoal.platform.compat.storage.StorageErrors;
import dev.shoal.repo.compat.storage.service.StorageFiles.FileAt;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectStream;

/**
 * HTTP's conditional and range rules (RFC 9110 §13 and §14) for one file: If-Match and
 * If-Unmodified-Since (412), If-None-Match and If-Modified-Since (304), then Range with If-Range (206,
 * or 416 when no byte of it exists). The ETag is the blob id, Last-Modified the time of the last
 * commit that changed the file. A Range the rules say to ignore (several ranges, bad syntax) gets the
 * whole file, as the RFC allows.
 */
final class FileAnswer {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private FileAnswer() {
    }

    static Response of(FileAt file, HttpHeaders request, boolean withBody) {
        String etag = '"' + file.blobSha() + '"';
        Instant modified = file.lastModified().truncatedTo(ChronoUnit.SECONDS);
        String ifMatch = request.getHeaderString("If-Match");
        String ifUnmodified = request.getHeaderString("If-Unmodified-Since");
        if (ifMatch != null ? !EntityTags.matches(ifMatch, etag) : isAfter(modified, ifUnmodified)) {
            return validators(refusal(412, "precondition_failed", ifMatch != null
                    ? "If-Match " + ifMatch + " does not match the file's ETag " + etag
                    : "the file changed after " + ifUnmodified + " (Last-Modified " + httpDate(modified) + ")"), file, etag, modified)
                    .build();
        }
        String ifNoneMatch = request.getHeaderString("If-None-Match");
        if (ifNoneMatch != null ? EntityTags.matches(ifNoneMatch, etag) : notAfter(modified, request.getHeaderString("If-Modified-Since"))) {
            return validators(Response.notModified(), file, etag, modified).build();
        }
        long size = file.size();
        long[] range = range(request.getHeaderString("Range"), request.getHeaderString("If-Range"), etag, modified, size);
        if (range != null && range.length == 0) {
            return validators(refusal(416, "range_not_satisfiable",
                    "the file has " + size + " bytes: no byte of " + request.getHeaderString("Range") + " exists"), file, etag, modified)
                    .header("Content-Range", "bytes */" + size).build();
        }
        long start = range == null ? 0 : range[0];
        long length = range == null ? size : range[1] - range[0] + 1;
        Response.ResponseBuilder answer = range == null ? Response.ok() : Response.status(206)
                .header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
        answer.type(MediaType.APPLICATION_OCTET_STREAM_TYPE).header("Content-Length", length)
                .header("Content-Disposition", "inline; filename=\"" + fileName(file.path()) + "\"");
        if (withBody) {
            answer.entity((StreamingOutput) out -> copy(file, start, length, out));
        }
        return validators(answer, file, etag, modified).build();
    }

    private static Response.ResponseBuilder refusal(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(StorageErrors.body(code, message, null));
    }

    private static Response.ResponseBuilder validators(Response.ResponseBuilder answer, FileAt file, String etag, Instant modified) {
        return answer.header("ETag", etag).header("Last-Modified", httpDate(modified)).header("Accept-Ranges", "bytes")
                .header("X-Blob-Sha", file.blobSha()).header("X-Last-Commit-Sha", file.lastCommitSha());
    }

    /**
     * The inclusive byte range to send; null for the whole file; an empty array when the range is
     * well formed but starts past the end (416).
     */
    private static long[] range(String header, String ifRange, String etag, Instant modified, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        if (ifRange != null && !ifRange.trim().equals(etag) && !sameDate(modified, ifRange)) {
            return null; // the client's copy is stale: it gets the whole file
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                return suffix == 0 || size == 0 ? new long[0] : new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                return null; // invalid range: ignored
            }
            return first >= size ? new long[0] : new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void copy(FileAt file, long start, long length, OutputStream out) throws IOException {
        try (ObjectStream in = file.loader().openStream()) {
            in.skipNBytes(start);
            transfer(in, out, length);
        }
    }

    private static void transfer(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                break;
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static boolean isAfter(Instant modified, String date) {
        Instant since = parse(date);
        return since != null && modified.isAfter(since);
    }

    private static boolean notAfter(Instant modified, String date) {
        Instant since = parse(date);
        return since != null && !modified.isAfter(since);
    }

    private static boolean sameDate(Instant modified, String date) {
        Instant at = parse(date);
        return at != null && at.equals(modified);
    }

    /** An HTTP date, or null when the header is absent or not a date (then the condition is ignored, as the RFC says). */
    private static Instant parse(String date) {
        if (date == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(date.trim(), HTTP_DATE).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
