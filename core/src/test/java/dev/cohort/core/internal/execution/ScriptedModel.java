package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model that plays a script, one step per call, then answers every further call with one valid
 * turn spoken by {@link Fixtures#SPEAKER} (each text different, so no turn repeats another).
 */
public final class ScriptedModel implements LlmPort {
  /** What one call does. */
  @FunctionalInterface
  public interface Step {
    ChatResponse play(ScriptedModel model) throws InterruptedException;
  }

  private final Deque<Step> script = new ArrayDeque<>();
  private final AtomicInteger calls = new AtomicInteger();
  /** Counted down by every call that starts blocking. */
  private volatile CountDownLatch blocked = new CountDownLatch(0);
  /** What blocked calls wait for; they end early only when interrupted. */
  private final CountDownLatch unblock = new CountDownLatch(1);

  /** Appends steps to the script. */
  public synchronized ScriptedModel then(Step... steps) {
    for (Step s : steps) {
      script.addLast(s);
    }
    return this;
  }

  /** A valid answer: one turn by the fixture speaker. */
  public static Step answer() {
    return ScriptedModel::turn;
  }

  /** An answer with no turns, which the engine rejects; it costs what every answer costs. */
  public static Step unusable() {
    return m -> ChatResponse.of("nothing in the turn format", new TokenUsage(10, 5, 0));
  }

  /** Fails the call with {@code failure}. */
  public static Step fail(RuntimeException failure) {
    return m -> {
      throw failure;
    };
  }

  /**
   * Blocks until {@link #unblock()} or an interrupt; an interrupted call fails as the OpenAI adapter
   * does, retryable with the interrupt flag kept, so the caller sees the interruption.
   */
  public static Step block() {
    return m -> {
      m.blocked.countDown();
      if (!m.unblock.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("a blocked model call was never released");
      }
      return turn(m);
    };
  }

  /** Makes the next {@code n} blocked calls count down the latch returned. */
  public CountDownLatch expectBlocked(int n) {
    CountDownLatch latch = new CountDownLatch(n);
    blocked = latch;
    return latch;
  }

  /** Lets every blocked call answer. */
  public void unblock() {
    unblock.countDown();
  }

  /** How many calls were made. */
  public int calls() {
    return calls.get();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    calls.incrementAndGet();
    Step step;
    synchronized (this) {
      step = script.isEmpty() ? answer() : script.removeFirst();
    }
    try {
      return step.play(this);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableLlmException("interrupted while waiting for the model");
    }
  }

  private static ChatResponse turn(ScriptedModel m) {
    return ChatResponse.of("{\"turns\":[{\"speaker\":\"" + Fixtures.SPEAKER + "\",\"text\":\"Line " + m.calls.get()
        + ".\"}]}", new TokenUsage(10, 5, 0));
  }
}
