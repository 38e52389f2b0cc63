package dev.cohort.cli;

import dev.cohort.core.batch.Manifest;
import dev.cohort.core.internal.codec.ManifestJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort batches manifest ID}: the batch's provenance manifest as indented JSON. */
@Command(name = "manifest", usageHelpAutoWidth = true,
    description = {"Print a batch's provenance manifest as JSON: Cohort, Java and OS versions, the store, the"
        + " workers, every model name and system fingerprint the provider returned, the settings sent, prompt and"
        + " data digests, times, counts, tokens and cache hits.",
        "The same as 'cohort export ID --format manifest'."})
final class ManifestCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    try (Session session = Session.forStore(store)) {
      Manifest manifest = session.cohort().manifest(id);
      JsonPrinter.print(spec.commandLine().getOut(), gen -> ManifestJson.write(gen, manifest));
    }
    return ExitCode.OK;
  }
}
