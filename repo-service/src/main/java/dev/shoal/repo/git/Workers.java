package dev.shoal.repo.git;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.function.Supplier;

/** Runs blocking work (JGit, files) on the worker pool, never on the event loop. */
public final class Workers {

    private Workers() {
    }

    public static <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
