// Cohort in JShell: imports and a ready `cohort` on the SQLite file ./cohort.db with the offline
// simulated model. From the repository root, after building the command-line jar
// (bin/cohort --version builds it, or ./mvnw -q -pl cli -am package -DskipTests):
//
//   jshell --class-path cli/target/cohort.jar examples/jshell/cohort.jsh
//
// then, for example:
//
//   cohort.saveEntities(List.of(Entity.of("a", "Ada", "Engineer"), Entity.of("b", "Ben", "Poet")))
//   var batch = cohort.run(BatchRequest.builder().name("Try").context("A walk in the park")
//       .entityIds("a", "b").interactionSize(2).numSimulations(1).nTurns(2).build())
//   cohort.forEachSimulation(batch.id(), s -> System.out.println(s.content()))
//   cohort.export(batch.id(), ExportFormat.CSV, System.out)
//
// The same database is what `bin/cohort batches list` shows. Type /exit to leave.
import dev.cohort.core.*;
import dev.cohort.core.batch.*;
import dev.cohort.core.export.*;
import dev.cohort.inmemory.*;
import dev.cohort.jdbc.*;
import java.nio.file.*;
import java.time.*;

System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
var repository = JdbcRepository.sqlite(Path.of("cohort.db"));
var cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).build();
System.out.println("cohort is ready: " + cohort.describeModel() + " on " + Path.of("cohort.db").toAbsolutePath()
    + " (" + cohort.listEntities().size() + " entities, " + cohort.listBatches(false).size() + " batches)");
