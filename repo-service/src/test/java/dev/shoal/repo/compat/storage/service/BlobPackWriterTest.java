package dev.shoal.repo.compat.storage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;

/**
 * The pack a commit-pack writes, read back by JGit and checked by C git ({@code verify-pack},
 * {@code fsck}): compressible text deflated, random bytes stored, streamed and in-memory blobs, the
 * same content twice written once, ids as git computes them.
 */
class BlobPackWriterTest {

    @Test
    void writesOnePackThatGitAndJGitRead() throws Exception {
        Path dir = Files.createTempDirectory("blobpack");
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
            try (BlobPackWriter pack = new BlobPackWriter(db, spool, -1); ObjectInserter.Formatter ids0 = new ObjectInserter.Formatter()) {
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

    @Test
    void closingWithoutFlushLeavesNothing() throws Exception {
        Path dir = Files.createTempDirectory("blobpack");
        Path spool = dir.resolve("spool");
        try (Repository git = new FileRepositoryBuilder().setGitDir(dir.resolve("r.git").toFile()).build()) {
            git.create(true);
            ObjectDirectory db = (ObjectDirectory) git.getObjectDatabase();
            ObjectId id;
            try (BlobPackWriter pack = new BlobPackWriter(db, spool, 1)) {
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
