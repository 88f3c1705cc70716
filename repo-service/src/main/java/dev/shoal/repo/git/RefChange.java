package dev.shoal.repo.git;

import org.eclipse.jgit.lib.ObjectId;

/** One ref moving from {@code before} to {@code after} (40 zeros for a create or a delete). */
public record RefChange(String ref, String before, String after) {

    public static final String ZERO = ObjectId.zeroId().name();

    public static RefChange of(String ref, ObjectId before, ObjectId after) {
        return new RefChange(ref, before == null ? ZERO : before.name(), after == null ? ZERO : after.name());
    }

    public boolean isTagCreate() {
        return ref.startsWith("refs/tags/") && ZERO.equals(before) && !ZERO.equals(after);
    }
}
