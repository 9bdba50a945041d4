package ai.glimpse.serve;

import ai.glimpse.api.Decoding;
import ai.glimpse.api.Glimpse;
import ai.glimpse.api.PreparedImage;
import ai.glimpse.decode.Caption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching: images submitted from many request threads are decoded together by one worker
 * thread, the only one that touches the model (its inference engine is not thread-safe). The worker
 * takes the oldest waiting image, waits up to {@code maxWait} for more with the same {@link Decoding}
 * (up to {@code maxBatch}), and captions them in one {@link Glimpse#captionAll} call: one encoder pass
 * and one step call per word for all of them and their beams. Images with another decoding wait for the
 * next batch, oldest first. A request that gave up (its future cancelled) is dropped before decoding.
 *
 * <p>How many images may wait is bounded by the server's admission, not here.
 */
final class Batcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    /** An image waiting for its caption. */
    private record Job(PreparedImage image, Decoding decoding, CompletableFuture<Caption> result) {
    }

    private final Glimpse glimpse;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    /** Jobs taken off the queue while gathering another decoding's batch; only the worker touches it. */
    private final Deque<Job> deferred = new ArrayDeque<>();
    private final Thread worker;
    private volatile boolean stopping;

    /**
     * @param batchSizes told the size of every batch decoded (for metrics)
     */
    Batcher(Glimpse glimpse, int maxBatch, Duration maxWait, IntConsumer batchSizes) {
        this.glimpse = glimpse;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::run, "glimpse-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues one image; the future completes with its caption, or exceptionally with what failed. */
    CompletableFuture<Caption> submit(PreparedImage image, Decoding decoding) {
        CompletableFuture<Caption> result = new CompletableFuture<>();
        if (stopping) {
            result.completeExceptionally(new IllegalStateException("the server is stopping"));
            return result;
        }
        queue.add(new Job(image, decoding, result));
        return result;
    }

    private void run() {
        while (!stopping || !queue.isEmpty() || !deferred.isEmpty()) {
            try {
                List<Job> batch = gather();
                if (batch.isEmpty()) {
                    continue;
                }
                decode(batch);
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            } catch (Throwable t) {                                    // never let the worker die
                LOG.error("batch worker", t);
            }
        }
        failRemaining();
    }

    /** The next batch: the oldest live job and up to maxBatch - 1 more of its decoding. */
    private List<Job> gather() throws InterruptedException {
        Job first;
        do {
            first = deferred.pollFirst();
            if (first == null) {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    return List.of();
                }
            }
        } while (first.result().isDone());                              // gave up while waiting: drop it
        List<Job> batch = new ArrayList<>(maxBatch);
        batch.add(first);
        Decoding decoding = first.decoding();
        for (Iterator<Job> it = deferred.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Job j = it.next();
            if (j.decoding().equals(decoding)) {
                it.remove();
                batch.add(j);
            }
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            Job j = queue.poll();                                      // whatever waits already joins at once
            if (j == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopping) {
                    break;
                }
                j = queue.poll(left, TimeUnit.NANOSECONDS);
                if (j == null) {
                    break;
                }
            }
            if (j.decoding().equals(decoding)) {
                batch.add(j);
            } else {
                deferred.addLast(j);
            }
        }
        batch.removeIf(j -> j.result().isDone());                      // timed out while waiting
        return batch;
    }

    private void decode(List<Job> batch) {
        List<PreparedImage> images = new ArrayList<>(batch.size());
        for (Job j : batch) {
            images.add(j.image());
        }
        batchSizes.accept(batch.size());
        try {
            List<Caption> captions = glimpse.captionAll(images, batch.get(0).decoding());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(captions.get(i));
            }
        } catch (Throwable t) {
            LOG.error("decoding a batch of {} failed", batch.size(), t);
            for (Job j : batch) {
                j.result().completeExceptionally(t);
            }
        }
    }

    private void failRemaining() {
        IllegalStateException stopped = new IllegalStateException("the server stopped");
        deferred.forEach(j -> j.result().completeExceptionally(stopped));
        deferred.clear();
        for (Job j; (j = queue.poll()) != null; ) {
            j.result().completeExceptionally(stopped);
        }
    }

    /** Decodes what was submitted, then stops the worker; waits at most {@code grace} for it. */
    void close(Duration grace) {
        stopping = true;
        try {
            worker.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
