package dev.shoal.repo.git;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.function.Supplier;

/**
 * Runs blocking work (JGit, files) on the worker pool, never on the event loop. The request the
 * work was started for goes with it: its request context is active on the worker while the work
 * runs, so the work sees the request's caller (for instance a Code Storage token's ref rules,
 * {@code RefPolicyGuard}). Mutiny does not carry contexts across threads here (Shoal leaves out
 * its context-propagation hook, issue #19), so this is the one place a request crosses to a worker.
 */
public final class Workers {

    private Workers() {
    }

    public static <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            ManagedContext request = Arc.container().requestContext();
            InjectableContext.ContextState state = request.isActive() ? request.getState() : null;
            return Uni.createFrom().item(() -> state == null ? work.get() : inRequest(request, state, work))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        });
    }

    private static <T> T inRequest(ManagedContext request, InjectableContext.ContextState state, Supplier<T> work) {
        request.activate(state);
        try {
            return work.get();
        } finally {
            request.deactivate();
        }
    }
}
