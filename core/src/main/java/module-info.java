/**
 * Cohort's core: the domain model, the ports adapters implement, the {@code Cohort} facade, the
 * sampler and the exporters. Only these API packages are exported; the runner, the simulation
 * engine and model calling live in {@code dev.cohort.core.internal.*}, which no other module may
 * use (an internal package an adapter genuinely needs is exported to that adapter alone).
 */
// An internal package that an adapter needs is exported to it by name ("exports X to dev.cohort.jdbc").
// Those modules are compiled after core, so javac reports them as "module not found" (lint category
// "module"); that is expected here, hence suppressed for this declaration only.
@SuppressWarnings("module")
module dev.cohort.core {
  exports dev.cohort.core;
  exports dev.cohort.core.batch;
  exports dev.cohort.core.export;
  exports dev.cohort.core.port;
  exports dev.cohort.core.sampling;
  exports dev.cohort.core.spend;
  // The one JSON codec: the stores, the REST server and the command line read and write with it.
  exports dev.cohort.core.internal.codec to dev.cohort.jdbc, dev.cohort.http, dev.cohort.cli, dev.cohort.analysis;
  // The spend estimate's JSON: a package of its own, as dev.cohort.core.spend reads price files
  // with the codec (a cycle if the codec read dev.cohort.core.spend back).
  exports dev.cohort.core.internal.codec.spend to dev.cohort.http, dev.cohort.cli;
  // The engine and its model caller, for the benchmarks' one-round CPU measurement (RoundCpuBenchmark)
  // only: what a round costs without the store around it cannot be measured through the public API.
  exports dev.cohort.core.internal.simulation to dev.cohort.benchmarks;
  exports dev.cohort.core.internal.call to dev.cohort.benchmarks;
  // The quality flags, for the benchmarks' CPU measurement of flagging one simulation (FlagCpuTime).
  exports dev.cohort.core.internal.quality to dev.cohort.benchmarks;

  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.csv;
  requires org.slf4j;
  // The API's nullness annotations: read by users' tools at compile time, not needed at run time.
  requires static transitive org.jspecify;
}
