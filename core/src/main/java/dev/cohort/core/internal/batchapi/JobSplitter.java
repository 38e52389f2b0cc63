package dev.cohort.core.internal.batchapi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Splits a round's requests into jobs that each stay within the provider's limits: at most {@code
 * maxRequests} requests and {@code maxBytes} bytes of input file. A request larger than {@code
 * maxBytes} on its own goes into a job of its own (the provider then fails it, and says why).
 */
final class JobSplitter {
  private JobSplitter() {}

  static <T> List<List<T>> split(List<T> requests, int maxRequests, long maxBytes, ToLongFunction<T> bytes) {
    List<List<T>> jobs = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long size = 0;
    for (T r : requests) {
      long b = bytes.applyAsLong(r);
      if (!current.isEmpty() && (current.size() >= maxRequests || size + b > maxBytes)) {
        jobs.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(r);
      size += b;
    }
    if (!current.isEmpty()) {
      jobs.add(current);
    }
    return jobs;
  }
}
