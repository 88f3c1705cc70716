package dev.shoal.repo.compat.storage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pack a commit-pack writes, read back by JGit and checked by C git ({@code verify-pack},
 * {@code fsck}): compressible text deflated, random bytes stored, streamed and in-memory blobs, the
 * same content twice written once, ids as git computes them.
 */
class BlobPackWriterTest {

    @Test
    void writesOnePackThatGitAndJGitRead(@TempDir Path dir) throws Exception {
        Path spool = dir.resolve("spool");
        byte[] text = "line of source code that repeats\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[200_000];
        new Random(7).nextBytes(random);
        byte[] small = "hi\n".getBytes(StandardCharsets.UTF_8);
        byte[] empty = new byte[0];
        try (Repository git = new FileRepositoryBuilder().setGitDir(dir.resolve("r.git").toFile()).build()) {
            git.create(true);
            ObjectDirectory db = (ObjectDirectory) git.getObjectDatabase();
            List<ObjectId> ids;
            try (BlobPackWriter pack = new BlobPackWriter(db, spool, -1, Runnable::run); ObjectInserter.Formatter ids0 = new ObjectInserter.Formatter()) {
                ObjectId textId = pack.insert(text, 0, text.length);
                ObjectId randomId = pack.insert(random.length, new ByteArrayInputStream(random)); // streamed, > one buffer
                ObjectId again = pack.insert(random, 0, random.length);
                ObjectId againStreamed = pack.insert(text.length, new ByteArrayInputStream(text));
                ObjectId smallId = pack.insert(small, 0, small.length);
                ObjectId emptyId = pack.insert(empty, 0, 0);
                assertThat(again).isEqualTo(randomId);
                assertThat(againStreamed).isEqualTo(textId);
                assertThat(textId).isEqualTo(ids0.idFor(Constants.OBJ_BLOB, text));
                assertThat(randomId).isEqualTo(ids0.idFor(Constants.OBJ_BLOB, random));
                assertThat(emptyId.name()).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
                assertThat(git.getObjectDatabase().has(textId)).as("not visible before flush").isFalse();
                pack.flush();
                ids = List.of(textId, randomId, smallId, emptyId);
            }
            try (Stream<Path> left = Files.list(spool)) {
                assertThat(left).as("temporary files moved or removed").isEmpty();
            }
            assertThat(git.open(ids.get(0)).getBytes()).isEqualTo(text);
            assertThat(git.open(ids.get(1)).getBytes()).isEqualTo(random);
            assertThat(git.open(ids.get(2)).getBytes()).isEqualTo(small);
            assertThat(git.open(ids.get(3)).getSize()).isZero();

            Path[] packs;
            try (Stream<Path> files = Files.list(db.getPackDirectory().toPath())) {
                packs = files.filter(f -> f.toString().endsWith(".pack")).toArray(Path[]::new);
            }
            assertThat(packs).hasSize(1);
            String verify = run(dir, "git", "verify-pack", "-v", packs[0].toString());
            assertThat(verify).contains("non delta: 4 objects");
            // random bytes are stored, not deflated: about their own size; the text deflated to a fraction of its size
            String randomLine = verify.lines().filter(l -> l.startsWith(ids.get(1).name())).findFirst().orElseThrow();
            long packed = Long.parseLong(randomLine.split("\\s+")[3]);
            assertThat(packed).isBetween((long) random.length, random.length + 100L);
            String textLine = verify.lines().filter(l -> l.startsWith(ids.get(0).name())).findFirst().orElseThrow();
            assertThat(Long.parseLong(textLine.split("\\s+")[3])).isLessThan(text.length / 10);
            run(dir, "git", "--git-dir=" + dir.resolve("r.git"), "fsck", "--strict");
        }
    }

    /**
     * Blobs hashed and deflated on two coder threads while more are given: every id as git computes
     * it, reported once the blob is in the pack (all by flush), duplicates written once, blobs given
     * in between on the caller's thread (streamed) in the same pack, which C git accepts.
     */
    @Test
    void blobsEncodedOnCoderThreadsAllReachThePackOnce(@TempDir Path dir) throws Exception {
        ExecutorService coders = Executors.newFixedThreadPool(2);
        Random random = new Random(11);
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[i % 3 == 0 ? 40_000 : 3_000 + i];
            if (i % 2 == 0) {
                random.nextBytes(data);
            } else {
                Arrays.fill(data, (byte) ('a' + i % 26));
                data[0] = (byte) i; // each one its own content
                data[1] = (byte) (i >> 8);
            }
            contents.add(data);
        }
        contents.add(contents.get(7)); // the same content again
        byte[] large = new byte[BlobPackWriter.MAX_IN_FLIGHT_BYTES + 1]; // alone in flight
        random.nextBytes(large);
        contents.add(large);
        try (Repository git = new FileRepositoryBuilder().setGitDir(dir.resolve("r.git").toFile()).build();
             ObjectInserter.Formatter ids = new ObjectInserter.Formatter()) {
            git.create(true);
            ObjectDirectory db = (ObjectDirectory) git.getObjectDatabase();
            Map<Integer, ObjectId> reported = new ConcurrentHashMap<>();
            ObjectId streamed;
            byte[] streamedContent = "streamed between the others\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
            try (BlobPackWriter pack = new BlobPackWriter(db, dir.resolve("spool"), -1, coders)) {
                for (int i = 0; i < contents.size(); i++) {
                    int n = i;
                    pack.insert(contents.get(i), id -> assertThat(reported.put(n, id)).as("reported twice").isNull());
                    if (i == 150) {
                        streamed = pack.insert(streamedContent.length, new ByteArrayInputStream(streamedContent));
                        assertThat(streamed).isEqualTo(ids.idFor(Constants.OBJ_BLOB, streamedContent));
                    }
                }
                pack.flush();
            } finally {
                coders.shutdownNow();
            }
            assertThat(reported).hasSize(contents.size());
            for (int i = 0; i < contents.size(); i++) {
                ObjectId expected = ids.idFor(Constants.OBJ_BLOB, contents.get(i));
                assertThat(reported.get(i)).as("blob %d", i).isEqualTo(expected);
                assertThat(git.open(expected).getBytes()).isEqualTo(contents.get(i));
            }
            Path[] packs;
            try (Stream<Path> files = Files.list(db.getPackDirectory().toPath())) {
                packs = files.filter(f -> f.toString().endsWith(".pack")).toArray(Path[]::new);
            }
            assertThat(packs).hasSize(1);
            // 302 given, one a duplicate, and the streamed one
            assertThat(run(dir, "git", "verify-pack", "-v", packs[0].toString())).contains("non delta: 302 objects");
            run(dir, "git", "--git-dir=" + dir.resolve("r.git"), "fsck", "--strict");
        }
    }

    @Test
    void closingWithoutFlushLeavesNothing(@TempDir Path dir) throws Exception {
        Path spool = dir.resolve("spool");
        try (Repository git = new FileRepositoryBuilder().setGitDir(dir.resolve("r.git").toFile()).build()) {
            git.create(true);
            ObjectDirectory db = (ObjectDirectory) git.getObjectDatabase();
            ObjectId id;
            try (BlobPackWriter pack = new BlobPackWriter(db, spool, 1, Runnable::run)) {
                byte[] data = "abandoned\n".getBytes(StandardCharsets.UTF_8);
                id = pack.insert(data, 0, data.length);
            }
            try (Stream<Path> left = Files.list(spool)) {
                assertThat(left).isEmpty();
            }
            assertThat(git.getObjectDatabase().has(id)).isFalse();
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
