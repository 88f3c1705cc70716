package dev.shoal.repo.git.http;

import dev.shoal.repo.git.service.GitMetrics;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes of every git smart-HTTP request body and answer as they stream (the wire
 * bytes: packs as sent, compressed request bodies as received) and adds them to
 * {@link GitMetrics} when the request ends.
 */
@WebFilter(urlPatterns = GitRequest.PREFIX + "/*")
public class GitTrafficFilter extends HttpFilter {

    private final GitMetrics metrics;

    @Inject
    public GitTrafficFilter(GitMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        AtomicLong in = new AtomicLong();
        AtomicLong out = new AtomicLong();
        try {
            chain.doFilter(new CountingRequest(req, in), new CountingResponse(res, out));
        } finally {
            metrics.received(in.get());
            metrics.sent(out.get());
        }
    }

    private static final class CountingRequest extends HttpServletRequestWrapper {

        private final AtomicLong count;
        private ServletInputStream stream;

        CountingRequest(HttpServletRequest request, AtomicLong count) {
            super(request);
            this.count = count;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream delegate = super.getInputStream();
                stream = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        int b = delegate.read();
                        if (b >= 0) {
                            count.incrementAndGet();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = delegate.read(buffer, offset, length);
                        if (n > 0) {
                            count.addAndGet(n);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return delegate.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return delegate.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        delegate.setReadListener(listener);
                    }

                    @Override
                    public void close() throws IOException {
                        delegate.close();
                    }
                };
            }
            return stream;
        }
    }

    private static final class CountingResponse extends HttpServletResponseWrapper {

        private final AtomicLong count;
        private ServletOutputStream stream;

        CountingResponse(HttpServletResponse response, AtomicLong count) {
            super(response);
            this.count = count;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream delegate = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        delegate.write(b);
                        count.incrementAndGet();
                    }

                    @Override
                    public void write(byte[] buffer, int offset, int length) throws IOException {
                        delegate.write(buffer, offset, length);
                        count.addAndGet(length);
                    }

                    @Override
                    public void flush() throws IOException {
                        delegate.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        delegate.close();
                    }

                    @Override
                    public boolean isReady() {
                        return delegate.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        delegate.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
