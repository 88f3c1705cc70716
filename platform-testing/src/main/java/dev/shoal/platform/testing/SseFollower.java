package dev.shoal.platform.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Follows a server-sent events response line by line as it arrives, for tests of streams (step logs,
 * Woodpecker's event stream). The end of the stream is the line {@code !complete}, a failure
 * {@code !error <cause>}; closing cancels the request.
 */
public final class SseFollower implements AutoCloseable {

    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Void>> response;

    /** Opens {@code url} with {@code Accept: text/event-stream} and the given headers. */
    public SseFollower(URI url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        response = HttpClient.newHttpClient().sendAsync(request.build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String item) {
                        lines.add(item);
                    }

                    @Override
                    public void onError(Throwable t) {
                        lines.add("!error " + t);
                    }

                    @Override
                    public void onComplete() {
                        lines.add("!complete");
                    }
                }));
    }

    /** The response, complete once its body has ended. */
    public CompletableFuture<HttpResponse<Void>> response() {
        return response;
    }

    /** Lines up to and including the first that starts with {@code prefix}. */
    public List<String> untilStartsWith(String prefix, Duration max) throws InterruptedException {
        return until(line -> line.startsWith(prefix), "starting with '" + prefix + "'", max);
    }

    /** Lines up to and including the first that contains {@code text}. */
    public List<String> untilContains(String text, Duration max) throws InterruptedException {
        return until(line -> line.contains(text), "containing '" + text + "'", max);
    }

    private List<String> until(Predicate<String> wanted, String what, Duration max) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            if (wanted.test(line)) {
                return seen;
            }
        }
        throw new AssertionError("no line " + what + " within " + max + "; saw " + seen);
    }

    @Override
    public void close() {
        response.cancel(true);
    }
}
