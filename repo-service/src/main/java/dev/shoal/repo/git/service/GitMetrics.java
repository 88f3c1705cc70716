package dev.shoal.repo.git.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.jgit.storage.pack.PackStatistics;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.PostUploadHook;

/**
 * Git smart-HTTP traffic: {@code shoal_git_clones_total} and {@code shoal_git_fetches_total} (one
 * per pack sent: a client that announced no object of its own ("have") cloned, one that did
 * fetched; a fetch with nothing new sends no pack and is not counted),
 * {@code shoal_git_uploads_without_bitmap_total} (packs whose objects were counted by walking the
 * history because the repository had no bitmap index: GC is not keeping up, or the clone came
 * before the first GC), {@code shoal_git_pushes_total}
 * (receive-packs that updated at least one ref), and the bytes on the wire of every git request,
 * {@code shoal_git_bytes_sent_total} and {@code shoal_git_bytes_received_total}.
 */
@ApplicationScoped
public class GitMetrics {

    private final Counter clones;
    private final Counter fetches;
    private final Counter withoutBitmap;
    private final Counter pushes;
    private final Counter bytesSent;
    private final Counter bytesReceived;

    public GitMetrics(MeterRegistry registry) {
        this.clones = Counter.builder("shoal.git.clones").description("Packs sent to clients that had no objects (clones)")
                .register(registry);
        this.fetches = Counter.builder("shoal.git.fetches").description("Packs sent to clients that had objects (fetches, pulls)")
                .register(registry);
        this.withoutBitmap = Counter.builder("shoal.git.uploads.without.bitmap")
                .description("Packs sent whose objects were counted without a bitmap index (walking the history)")
                .register(registry);
        this.pushes = Counter.builder("shoal.git.pushes").description("Pushes that updated at least one ref")
                .register(registry);
        this.bytesSent = Counter.builder("shoal.git.bytes.sent").description("Bytes sent in answers to git smart-HTTP requests")
                .register(registry);
        this.bytesReceived = Counter.builder("shoal.git.bytes.received").description("Bytes received in git smart-HTTP request bodies")
                .register(registry);
    }

    /** For UploadPack: counts each pack sent as a clone or a fetch. */
    public PostUploadHook uploadHook() {
        return this::uploaded;
    }

    /** For ReceivePack, chained after Shoal's own hook: JGit passes only the commands that succeeded. */
    public PostReceiveHook receiveHook() {
        return (pack, commands) -> {
            if (!commands.isEmpty()) {
                pushes.increment();
            }
        };
    }

    void uploaded(PackStatistics stats) {
        if (stats.getHaves() == 0) {
            clones.increment();
        } else {
            fetches.increment();
        }
        if (stats.getBitmapIndexMisses() < 0) {
            withoutBitmap.increment();
        }
    }

    public void sent(long bytes) {
        if (bytes > 0) {
            bytesSent.increment(bytes);
        }
    }

    public void received(long bytes) {
        if (bytes > 0) {
            bytesReceived.increment(bytes);
        }
    }
}
