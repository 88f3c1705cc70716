package dev.shoal.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ships a running step's output to the server while it runs: whatever arrived is sent every
 * 200 ms, or as soon as 32 KiB are waiting. Output is buffered as characters, so a batch never
 * splits a UTF-8 sequence (the server masks secrets on whole text).
 */
public class LogShipper implements AutoCloseable {

    static final long FLUSH_MILLIS = 200;
    static final int FLUSH_CHARS = 32 * 1024;

    public interface Sink {
        void send(byte[] text) throws Exception;
    }

    private final Sink sink;
    private final StringBuilder pending = new StringBuilder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition full = lock.newCondition();
    private final Thread flusher;
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean closed;
    private volatile Exception failure;

    public LogShipper(String name, Sink sink) {
        this.sink = sink;
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
    public synchronized void flush() {
        while (true) {
            String batch;
            lock.lock();
            try {
                if (pending.length() == 0) {
                    return;
                }
                int n = Math.min(pending.length(), FLUSH_CHARS);
                if (n < pending.length() && Character.isHighSurrogate(pending.charAt(n - 1))) {
                    n--;
                }
                batch = pending.substring(0, n);
                pending.delete(0, n);
            } finally {
                lock.unlock();
            }
            try {
                sink.send(batch.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                failure = e;
            }
        }
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
        flush();
    }

    public Exception failure() {
        return failure;
    }
}
