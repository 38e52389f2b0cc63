package dev.cohort.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Hands the writes that arrive together to one call, and gives each caller its own outcome once
 * that call ended. The first caller to find no group running leads one: it takes every write
 * queued so far (at most {@code maxGroup}), runs the group, and wakes the others; whoever queued
 * meanwhile is led next by the first of them still waiting. No thread of its own: the callers do
 * the work, so nothing is left running when the repository closes.
 *
 * <p>How a group becomes SQL is its runner's: {@link GroupCommit} runs each write's own statements
 * in one transaction (SQLite), PostgreSQL's rounds and finishes make one statement of them all.
 * The runner must settle every write of the group, each with its own result or its own failure.
 *
 * @param <I> what a caller writes
 * @param <O> what a caller is told
 */
final class WriteCoalescer<I, O extends @Nullable Object> {
  /** Runs one group; must call {@link Write#succeed} or {@link Write#fail} on each of its writes. */
  @FunctionalInterface
  interface GroupRunner<I, O extends @Nullable Object> {
    void run(List<Write<I, O>> group);
  }

  /** One caller's write and, once its group ended, its outcome. */
  static final class Write<I, O extends @Nullable Object> {
    private final I input;
    private final Thread caller = Thread.currentThread();
    private @Nullable O result;
    private @Nullable RuntimeException failure;
    private boolean settled;
    /** Set last, by the leader after the group: a caller that sees it sees the outcome. */
    private volatile boolean done;

    Write(I input) {
      this.input = input;
    }

    I input() {
      return input;
    }

    void succeed(O value) {
      result = value;
      failure = null;
      settled = true;
    }

    void fail(RuntimeException e) {
      result = null;
      failure = e;
      settled = true;
    }
  }

  /** How many groups in a row one caller leads before it hands over and returns. */
  static final int MAX_GROUPS_LED = 4;

  private final ConcurrentLinkedQueue<Write<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final int maxGroup;
  private final GroupRunner<I, O> runner;

  WriteCoalescer(int maxGroup, GroupRunner<I, O> runner) {
    if (maxGroup < 1) {
      throw new IllegalArgumentException("maxGroup must be at least 1, was " + maxGroup);
    }
    this.maxGroup = maxGroup;
    this.runner = runner;
  }

  /** Writes {@code input} in the next group and returns what the runner said of it, or throws its failure. */
  O write(I input) {
    Write<I, O> mine = new Write<>(input);
    queue.add(mine);
    boolean interrupted = false;
    while (!mine.done) {
      if (leading.compareAndSet(false, true)) {
        try {
          // A running leader goes on with what queued meanwhile, a few groups at most: handing
          // over costs a thread wake-up, longer than a group on a busy machine.
          for (int groups = 0; groups < MAX_GROUPS_LED && (!mine.done || !queue.isEmpty()); groups++) {
            lead();
          }
        } finally {
          leading.set(false);
        }
        Write<I, O> next = queue.peek();
        if (next != null) {
          LockSupport.unpark(next.caller);
        }
      } else {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      // The write ran regardless: it was queued. Its caller still learns it was interrupted.
      Thread.currentThread().interrupt();
    }
    RuntimeException failure = mine.failure;
    if (failure != null) {
      throw failure;
    }
    return mine.result;
  }

  /** How many writes wait for a group now (for tests that need a group formed behind a held one). */
  int queued() {
    return queue.size();
  }

  /** Runs the writes queued now (up to {@link #maxGroup}) as one group, then wakes their callers. */
  private void lead() {
    List<Write<I, O>> group = new ArrayList<>();
    for (Write<I, O> w; group.size() < maxGroup && (w = queue.poll()) != null; ) {
      group.add(w);
    }
    if (group.isEmpty()) {
      return;
    }
    // The leader runs other callers' writes: an interrupt of its own thread (its simulation was
    // cancelled) must not fail them, so it is held back while the group runs.
    boolean interrupted = Thread.interrupted();
    try {
      runner.run(group);
    } catch (RuntimeException | Error e) {
      for (Write<I, O> w : group) {
        if (!w.settled) {
          w.fail(e instanceof RuntimeException r ? r : new IllegalStateException("a grouped write failed", e));
        }
      }
      if (e instanceof Error error) {
        throw error;
      }
    } finally {
      for (Write<I, O> w : group) {
        if (!w.settled) {
          w.fail(new IllegalStateException("a grouped write was left without an outcome"));
        }
        w.done = true;
        LockSupport.unpark(w.caller);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
