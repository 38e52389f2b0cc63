package dev.cohort.core.internal.execution;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Thread pools for the runner: virtual threads where the JDK has them (21+), else platform threads. */
final class Threads {
  private Threads() {}

  /** Daemon platform threads named {@code prefix-N}. */
  static ThreadFactory daemon(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * One virtual thread per task on Java 21+ (looked up at run time, since the library is compiled
   * for 17); on 17, a fixed pool of {@code platformThreads} daemon threads.
   */
  static ExecutorService simulationExecutor(int platformThreads) {
    ExecutorService virtual = virtualThreadPerTask();
    return virtual != null ? virtual : Executors.newFixedThreadPool(platformThreads, daemon("cohort-simulation"));
  }

  private static @Nullable ExecutorService virtualThreadPerTask() {
    try {
      Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) factory.invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
