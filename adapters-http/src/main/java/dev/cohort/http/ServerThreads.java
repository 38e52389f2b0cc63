package dev.cohort.http;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The threads requests run on when the caller gives none: one virtual thread per request on Java
 * 21+ (looked up at run time, since the module is compiled for 17), else a fixed pool of platform
 * threads, so a flood of requests queues instead of starting unbounded threads.
 */
final class ServerThreads {
  private ServerThreads() {}

  static ExecutorService create(int platformThreads) {
    ExecutorService virtual = virtualThreadPerTask();
    if (virtual != null) {
      return virtual;
    }
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory = task -> {
      Thread thread = new Thread(task, "cohort-http-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    return Executors.newFixedThreadPool(platformThreads, factory);
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
