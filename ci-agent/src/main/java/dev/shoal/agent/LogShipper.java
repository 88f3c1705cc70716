package dev.shoal.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ships a running step's output to the server while it runs: whatever arrived is sent every
 * 200 ms, or as soon as 32 KiB are waiting. Output is buffered as characters, so a batch never
 * splits a UTF-8 sequence (the server masks secrets on whole text).
 *
 * <p>The agent's own credentials (its token, the clone token and its Basic form, registry
 * passwords) are masked here, before anything leaves the agent, as {@code ********} like the
 * server masks secrets. A batch ends before any text that could be the start of one of them, so a
 * value split across two reads of the step's output is still masked; that tail waits for the next
 * flush or for the end of the step.
 */
public class LogShipper implements AutoCloseable {

    static final long FLUSH_MILLIS = 200;
    static final int FLUSH_CHARS = 32 * 1024;
    /** How long a batch is retried while the server cannot take it. */
    static final long RETRY_FOR_MILLIS = 120_000;

    public interface Sink {
        void send(byte[] text) throws Exception;
    }

    static final String MASK = "********";

    private final Sink sink;
    private final List<String> masked;
    private final StringBuilder pending = new StringBuilder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition full = lock.newCondition();
    private final Thread flusher;
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean closed;
    private volatile Exception failure;
    private final long retryForMillis;

    public LogShipper(String name, Sink sink) {
        this(name, sink, List.of());
    }

    /** @param masked values never to send (those shorter than 3 characters are left alone, as the server does) */
    public LogShipper(String name, Sink sink, Collection<String> masked) {
        this(name, sink, masked, RETRY_FOR_MILLIS);
    }

    LogShipper(String name, Sink sink, Collection<String> masked, long retryForMillis) {
        this.sink = sink;
        this.retryForMillis = retryForMillis;
        this.masked = masked.stream().filter(v -> v != null && v.length() >= 3).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.flusher = new Thread(this::flushLoop, "log-" + name);
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /** Reads {@code stream} on its own thread until it ends. */
    public void pump(InputStream stream, String name) {
        Thread reader = new Thread(() -> {
            try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    write(new String(buffer, 0, n));
                }
            } catch (IOException e) {
                // The process was killed or its pipe closed: nothing more to read.
            }
        }, "read-" + name);
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
    }

    public void line(String text) {
        write(text.endsWith("\n") ? text : text + "\n");
    }

    public void write(String text) {
        lock.lock();
        try {
            pending.append(text);
            if (pending.length() >= FLUSH_CHARS) {
                full.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        while (!closed) {
            lock.lock();
            try {
                if (pending.length() < FLUSH_CHARS) {
                    full.await(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            flush();
        }
    }

    /** Sends what is waiting, in parts of at most 32 KiB characters. */
    public void flush() {
        flush(false);
    }

    private synchronized void flush(boolean last) {
        while (true) {
            String batch;
            int n;
            lock.lock();
            try {
                n = Math.min(pending.length(), FLUSH_CHARS);
                if (n < pending.length() && Character.isHighSurrogate(pending.charAt(n - 1))) {
                    n--;
                }
                if (!last) {
                    n = safeEnd(pending, n);
                }
                if (n == 0) {
                    return;
                }
                batch = mask(pending.substring(0, n));
            } finally {
                lock.unlock();
            }
            // Only this method takes text out of pending (writers append), so the batch is still its head.
            Delivery delivery = deliver(batch.getBytes(StandardCharsets.UTF_8));
            if (delivery == Delivery.INTERRUPTED) {
                return;
            }
            lock.lock();
            try {
                pending.delete(0, n);
            } finally {
                lock.unlock();
            }
        }
    }

    private enum Delivery { SENT, GIVEN_UP, INTERRUPTED }

    /**
     * Sends one batch, retrying with backoff while the server cannot take it (a restarting service,
     * an unreachable gateway) for up to {@link #retryForMillis}; a refusal that says the step is no
     * longer this agent's is final. Interrupted (the step is ending), the batch stays pending for the
     * last flush.
     */
    private Delivery deliver(byte[] text) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryForMillis);
        long backoff = 100;
        while (true) {
            try {
                sink.send(text);
                return Delivery.SENT;
            } catch (ShoalApi.NotHeldException e) {
                failure = e;
                return Delivery.GIVEN_UP;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.INTERRUPTED;
            } catch (Exception e) {
                if (System.nanoTime() - deadline >= 0) {
                    failure = e;
                    return Delivery.GIVEN_UP;
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.INTERRUPTED;
            }
            backoff = Math.min(backoff * 2, 5_000);
        }
    }

    /**
     * The largest end, at most {@code n}, before which every masked value is either whole or absent:
     * the text from there on could still become one of them once more output arrives.
     */
    int safeEnd(CharSequence text, int n) {
        if (masked.isEmpty() || n == 0) {
            return n;
        }
        int end = n;
        String head = text.subSequence(0, Math.min(text.length(), n + masked.get(0).length())).toString();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (String value : masked) {
                // a value that starts before end and is cut by it, or that reaches past what has arrived
                int from = Math.max(0, end - value.length() + 1);
                for (int i = from; i < end; i++) {
                    int have = Math.min(value.length(), head.length() - i);
                    if (have > 0 && head.regionMatches(i, value, 0, have) && (have < value.length() || i + have > end)) {
                        end = i;
                        moved = true;
                        break;
                    }
                }
            }
        }
        return end;
    }

    String mask(String text) {
        String out = text;
        for (String value : masked) {
            out = out.replace(value, MASK);
        }
        return out;
    }

    /** Waits for the readers to reach the end of their streams (bounded), then sends the rest. */
    @Override
    public void close() {
        for (Thread reader : readers) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        flusher.interrupt();
        try {
            flusher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush(true);
    }

    public Exception failure() {
        return failure;
    }
}
