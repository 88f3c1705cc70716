package dev.shoal.repo.support;

import java.nio.file.Path;

/** Makes a pushed repository with the git command line. */
public final class Seed {

    private Seed() {
    }

    /** Clones {@code org/name}, commits {@code a.txt} on main and pushes; returns the work tree. */
    public static Path pushedMain(Git git, String org, String name) {
        Path work = Git.tempDir();
        git.run(work, "clone", Fixtures.url(org, name), name).ok();
        Path dir = work.resolve(name);
        Git.write(dir.resolve("a.txt"), "one\ntwo\nthree\n");
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", "base");
        git.out(dir, "push", "origin", "main");
        return dir;
    }
}
