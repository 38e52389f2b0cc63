package dev.cohort.core.port;

/**
 * What {@link WorkQueue#reserveSpend} did with a reservation: taken, or refused and why. The two
 * refusals need different handling: a batch over its budget stops, while a simulation whose lease
 * was lost only stops here (another worker, or nobody, holds it now; the batch goes on).
 */
public enum SpendReservation {
  /** The reservation was taken: the call may start. */
  RESERVED,
  /** Settled spend plus live reservations plus this one would pass the batch's budget. */
  OVER_BUDGET,
  /**
   * The lease is no longer held (expired, released, taken over, or its simulation or batch is
   * gone): nothing was reserved, and nothing more may be written under it.
   */
  LEASE_LOST
}
