package ai.glimpse.serve;

import ai.glimpse.api.Decoding;
import ai.glimpse.api.Glimpse;
import ai.glimpse.api.PreparedImage;
import ai.glimpse.decode.Caption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching: images submitted from many request threads are decoded together in batches by
 * worker threads, each with its own copy of the model's decoder (an inference engine is not thread-safe);
 * one worker gathers at a time while the others decode. With several workers and single-threaded ND4J
 * (the launcher runs serve so) the cores decode batches side by side: on 2 cores, two workers with
 * batches of 8 captioned 250-269 images/s against 188-213 for one worker with batches of 16 and two ND4J
 * threads, whose second thread mostly waited in small products. The worker
 * takes the oldest waiting image, waits up to {@code maxWait} for more with the same {@link Decoding}
 * (up to {@code maxBatch}) while more are expected: other requests are in progress (being read or
 * prepared), or the last batch ended with more requests in progress than this one holds (their clients
 * may be about to send again). A lone client's request goes at once. It captions them in one {@link Glimpse#captionAll} call: one encoder pass
 * and one step call per word for all of them and their beams; each image is answered as soon as its own
 * search ends (short captions need not wait for the batch's long ones, and their clients can send again
 * while the batch goes on). Images with another decoding wait for the
 * next batch, oldest first. A request that gave up (its future cancelled) is dropped before decoding.
 *
 * <p>How many images may wait is bounded by the server's admission, not here.
 */
final class Batcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    /** An image waiting for its caption. */
    private record Job(PreparedImage image, Decoding decoding, CompletableFuture<Caption> result) {
    }

    /** Per worker its own model handle (the first the server's, the others sharing its bundle): its own decoder state. */
    private final List<Glimpse> models = new ArrayList<>();
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BiConsumer<Integer, Long> batchSizes;
    private final IntSupplier inProgress;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    /** Jobs taken off the queue but not decoded yet (another decoding's, or held); only the gathering worker changes it. */
    private final Deque<Job> deferred = new ConcurrentLinkedDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    /** One worker gathers at a time (the others decode), so a batch takes what waits and no job is taken twice. */
    private final Object gathering = new Object();
    /** Images in batches being decoded now: in progress, but not coming to the queue until answered. */
    private final AtomicInteger decodingNow = new AtomicInteger();
    private volatile boolean stopping;
    /** Requests in progress when a batch last finished, less those then decoding: how many may come back. */
    private volatile int lastConcurrency;
    /** While not null, the worker decodes nothing (tests hold requests in the queue with it). */
    private volatile java.util.concurrent.CountDownLatch held;

    /**
     * @param inProgress how many requests the server is working on (a batch waits for more only while
     *                   this exceeds its size)
     * @param batchSizes told the size of every batch decoded and the nanoseconds it took (for metrics)
     */
    Batcher(Glimpse glimpse, int workers, int maxBatch, Duration maxWait, IntSupplier inProgress,
            BiConsumer<Integer, Long> batchSizes) {
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = batchSizes;
        this.inProgress = inProgress;
        // A model on frozen vgg16/resnet50 features would load its encoder again per worker: one worker for it.
        int count = glimpse.bundle().model().takesImages() ? workers : 1;
        for (int w = 0; w < count; w++) {
            Glimpse model = w == 0 ? glimpse : Glimpse.of(glimpse.bundle());
            models.add(model);
            Thread t = new Thread(() -> run(model), "glimpse-batcher-" + w);
            t.setDaemon(true);
            this.workers.add(t);
        }
        this.workers.forEach(Thread::start);
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

    private void run(Glimpse model) {
        while (!stopping || !queue.isEmpty() || !deferred.isEmpty()) {
            try {
                java.util.concurrent.CountDownLatch gate = held;
                if (gate != null) {
                    gate.await();
                }
                List<Job> batch;
                synchronized (gathering) {
                    batch = gather();
                    decodingNow.addAndGet(batch.size());
                }
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    decode(model, batch);
                } finally {
                    decodingNow.addAndGet(-batch.size());
                }
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
        if (held != null) {
            deferred.addFirst(first);                                  // held while polling: keep it for later
            return List.of();
        }
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
                int expected = Math.max(inProgress.getAsInt() - decodingNow.get(), lastConcurrency); // others' batches do not come here
                if (left <= 0 || stopping || expected <= batch.size() + deferred.size()) {
                    break;                                             // time is up, or no one else to wait for
                }
                j = queue.poll(Math.min(left, 1_000_000L), TimeUnit.NANOSECONDS);
                if (j == null) {
                    continue;                                          // look again at who is in progress
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

    private void decode(Glimpse model, List<Job> batch) {
        List<PreparedImage> images = new ArrayList<>(batch.size());
        for (Job j : batch) {
            images.add(j.image());
        }
        long start = System.nanoTime();
        try {
            model.captionAll(images, batch.get(0).decoding(),
                    (i, caption) -> batch.get(i).result().complete(caption)); // answered as soon as its search ends
            batchSizes.accept(batch.size(), System.nanoTime() - start);
            lastConcurrency = inProgress.getAsInt() - (decodingNow.get() - batch.size()); // this batch's clients may come back
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

    /** Images submitted and not yet taken into a batch. */
    int queued() {
        return queue.size() + deferred.size();
    }

    /** Holds the worker before its next batch until {@link #release}: what is submitted meanwhile waits. For tests. */
    void hold() {
        held = new java.util.concurrent.CountDownLatch(1);
    }

    void release() {
        java.util.concurrent.CountDownLatch gate = held;
        held = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Decodes what was submitted, then stops the worker; waits at most {@code grace} for it. */
    void close(Duration grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                worker.interrupt();
            }
        }
        for (int w = 1; w < models.size(); w++) {
            models.get(w).close();                                     // the first is the server's
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
