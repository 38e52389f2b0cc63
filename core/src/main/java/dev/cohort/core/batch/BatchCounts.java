package dev.cohort.core.batch;

/**
 * How many simulations of a batch are in each status.
 *
 * @param pending not started, or released to be run again
 * @param running claimed by a worker
 * @param completed finished with a transcript
 * @param failed finished with an error
 * @param cancelled stopped by the user before finishing
 */
public record BatchCounts(long pending, long running, long completed, long failed, long cancelled) {
  /** No simulations. */
  public static final BatchCounts EMPTY = new BatchCounts(0, 0, 0, 0, 0);

  public BatchCounts {
    if (pending < 0 || running < 0 || completed < 0 || failed < 0 || cancelled < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /** All simulations. */
  public long total() {
    return pending + running + completed + failed + cancelled;
  }

  /** Simulations that still have work to do. */
  public long unfinished() {
    return pending + running;
  }

  /** Simulations that reached a final status. */
  public long finished() {
    return completed + failed + cancelled;
  }

  /** Simulations whose work is done: completed or failed. A cancelled one is not done: a resume runs it. */
  public long done() {
    return completed + failed;
  }

  /**
   * Fraction of the simulations that are done ({@link #done}), 0 to 1; 1 when there are none.
   * Cancelled simulations count as not done, so a cancelled batch does not look finished.
   */
  public double progress() {
    long total = total();
    return total == 0 ? 1.0 : (double) done() / total;
  }

  /** These counts with one more simulation in {@code status}. */
  public BatchCounts plus(SimulationStatus status) {
    return switch (status) {
      case PENDING -> new BatchCounts(pending + 1, running, completed, failed, cancelled);
      case RUNNING -> new BatchCounts(pending, running + 1, completed, failed, cancelled);
      case COMPLETED -> new BatchCounts(pending, running, completed + 1, failed, cancelled);
      case FAILED -> new BatchCounts(pending, running, completed, failed + 1, cancelled);
      case CANCELLED -> new BatchCounts(pending, running, completed, failed, cancelled + 1);
    };
  }
}
