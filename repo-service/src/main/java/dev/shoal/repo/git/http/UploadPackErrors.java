package dev.shoal.repo.git.http;

import static jakarta.servlet.http.HttpServletResponse.SC_OK;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.http.server.GitSmartHttpTools;
import org.eclipse.jgit.http.server.UploadPackErrorHandler;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;
import org.jboss.logging.Logger;

/**
 * How an upload-pack (clone, fetch) that fails reaches the client. JGit's own handling, except for
 * one request JGit cannot serve: {@code git fetch --deepen=N} (protocol v2's
 * {@code deepen-relative}, which {@code fetch=shallow} advertises together with {@code --depth}, so
 * it cannot be left out of the advertisement). JGit 7.4's upload-pack throws a bare
 * {@link UnsupportedOperationException} for it, which would be an HTTP 500 and a stack trace for a
 * perfectly ordinary command. It is refused instead like any other git-level error: an
 * {@code ERR} packet in a 200 answer, which stock git prints as {@code fatal: remote error: …}.
 * The check is on the exception, not on the request, so that a JGit that learns deepen-relative is
 * simply used.
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
            if (!thrownByUploadPack(e)) {
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

    /** JGit's default: log, and send what the client may see with the matching status. */
    private static void failed(HttpServletRequest req, HttpServletResponse rsp, Throwable e) throws IOException {
        LOG.errorf(e, "upload-pack failed for %s", req.getRequestURI());
        if (!rsp.isCommitted()) {
            rsp.reset();
            String message = e instanceof PackProtocolException || e instanceof ServiceNotEnabledException ? e.getMessage() : null;
            GitSmartHttpTools.sendError(req, rsp, UploadPackErrorHandler.statusCodeForThrowable(e), message);
        }
    }

    /** JGit 7.4's only {@code UnsupportedOperationException} in upload-pack is deepen-relative. */
    private static boolean thrownByUploadPack(UnsupportedOperationException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().equals(UploadPack.class.getName());
    }
}
