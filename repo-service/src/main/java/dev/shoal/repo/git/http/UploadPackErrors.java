package dev.shoal.repo.git.http;

import static jakarta.servlet.http.HttpServletResponse.SC_BAD_REQUEST;
import static jakarta.servlet.http.HttpServletResponse.SC_OK;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.http.server.GitSmartHttpTools;
import org.eclipse.jgit.http.server.UploadPackErrorHandler;
import org.eclipse.jgit.transport.PacketLineIn;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;
import org.jboss.logging.Logger;

/**
 * How an upload-pack (clone, fetch) that fails reaches the client. (Receive-pack keeps JGit's own
 * handling: only it can still send the report of a refused pack, which it holds unsent.)
 * <ul>
 * <li>A request git's protocol cannot read (a malformed pkt-line, a body cut short, a protocol
 * violation) is the client's error: 400 with JGit's description of what was wrong, logged as one
 * line. JGit answered these 500 {@code Internal server error} and logged a stack trace.</li>
 * <li>{@code git fetch --deepen=N} (protocol v2's {@code deepen-relative}, which {@code fetch=shallow}
 * advertises together with {@code --depth}, so it cannot be left out of the advertisement): JGit
 * 7.4's upload-pack throws a bare {@link UnsupportedOperationException} for it. It is refused like any
 * other git-level error, an {@code ERR} packet in a 200 answer, which stock git prints as
 * {@code fatal: remote error: …}. The check is on the exception, not on the request, so that a JGit
 * that learns deepen-relative is simply used.</li>
 * <li>Anything else is ours: logged with its stack trace, 500.</li>
 * </ul>
 */
final class UploadPackErrors implements UploadPackErrorHandler {

    private static final Logger LOG = Logger.getLogger(UploadPackErrors.class);

    static final String DEEPEN_RELATIVE_REFUSED =
            "deepen-relative (git fetch --deepen) is not supported by this server; use git fetch --depth=N";

    @Override
    public void upload(HttpServletRequest req, HttpServletResponse rsp, UploadPackRunnable r) throws IOException {
        try {
            r.upload();
        } catch (ServiceMayNotContinueException e) {
            if (!e.isOutput() && !rsp.isCommitted()) {
                rsp.reset();
                GitSmartHttpTools.sendError(req, rsp, e.getStatusCode(), e.getMessage());
            }
        } catch (UnsupportedOperationException e) {
            if (!thrownBy(e, UploadPack.class)) { // JGit 7.4's only one there is deepen-relative
                failed(req, rsp, e);
            } else if (!rsp.isCommitted()) {
                // Nothing is written before the shallow computation that throws, so the answer is
                // still ours to replace.
                rsp.reset();
                GitSmartHttpTools.sendError(req, rsp, SC_OK, DEEPEN_RELATIVE_REFUSED);
            }
        } catch (Throwable e) {
            failed(req, rsp, e);
        }
    }

    private static void failed(HttpServletRequest req, HttpServletResponse rsp, Throwable e) throws IOException {
        boolean malformed = malformedRequest(e);
        if (malformed) {
            LOG.infof("upload-pack %s refused: %s", req.getRequestURI(), e.getMessage());
        } else {
            LOG.errorf(e, "upload-pack failed for %s", req.getRequestURI());
        }
        if (!rsp.isCommitted()) {
            rsp.reset();
            if (malformed) {
                GitSmartHttpTools.sendError(req, rsp, SC_BAD_REQUEST, "the request could not be read as git's protocol: " + e.getMessage());
            } else {
                String message = e instanceof ServiceNotEnabledException ? e.getMessage() : null;
                GitSmartHttpTools.sendError(req, rsp, UploadPackErrorHandler.statusCodeForThrowable(e), message);
            }
        }
    }

    /** What the client sent is not git's protocol, or stopped short: nothing the server could do otherwise. */
    private static boolean malformedRequest(Throwable e) {
        return e instanceof PackProtocolException || e instanceof EOFException
                || e instanceof IOException && thrownBy(e, PacketLineIn.class);
    }

    /** Whether one of the exception's first frames is in {@code type} (JGit throws plain exceptions from it). */
    private static boolean thrownBy(Throwable e, Class<?> type) {
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(3, trace.length); i++) {
            if (trace[i].getClassName().equals(type.getName())) {
                return true;
            }
        }
        return false;
    }
}
