package dev.cohort.core.port;

/**
 * Where entities, batches and simulations live, and how workers share the work: all three storage
 * roles in one. A storage adapter implements this whole; code inside Cohort depends on the role it
 * uses — {@link EntityStore} for the entity pool, {@link BatchStore} for batch records and reads,
 * {@link WorkQueue} for claiming and settling simulations under leases.
 *
 * <p>Implementations are thread-safe. The {@code cohort-testkit} module's {@code
 * RepositoryContractTest} is the executable form of this contract.
 */
public interface RepositoryPort extends EntityStore, BatchStore, WorkQueue {}
