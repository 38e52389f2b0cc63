package dev.cohort.cli;

import dev.cohort.core.batch.Verification;
import dev.cohort.core.internal.codec.ManifestJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cohort batches verify ID}: recomputes the batch's digests from the store and says whether
 * the request, the entity snapshot and every finished transcript are unchanged. Exits 1 when
 * something changed.
 */
@Command(name = "verify", usageHelpAutoWidth = true,
    description = {"Check that a batch's stored request, entity snapshot and transcripts are unchanged since they"
        + " were recorded (SHA-256 digests stored at creation and when each simulation finished).",
        "Exit status 0 when unchanged, 1 when something changed."})
final class VerifyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Verification v;
    try (Session session = Session.forStore(store)) {
      v = session.cohort().verify(id);
    }
    if (json) {
      JsonPrinter.print(out, gen -> ManifestJson.write(gen, v));
    } else {
      out.println("Request:          " + state(v.requestUnchanged()));
      out.println("Entity snapshot:  " + state(v.entitiesUnchanged()));
      out.println("Transcripts:      " + (v.changedSimulations().isEmpty()
          ? v.simulationsChecked() + " checked, all unchanged"
          : v.changedSimulations().size() + " of " + v.simulationsChecked() + " changed (sequence numbers "
              + v.changedSimulations().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")
          + (v.simulationsWithoutDigest() > 0 ? "; " + v.simulationsWithoutDigest() + " without a digest" : ""));
      out.println(v.unchanged() ? "Batch " + id + " is unchanged." : "Batch " + id + " CHANGED since it was recorded.");
      out.flush();
    }
    return v.unchanged() ? ExitCode.OK : ExitCode.FAILED;
  }

  private static String state(@Nullable Boolean unchanged) {
    return unchanged == null ? "no digest recorded" : unchanged ? "unchanged" : "CHANGED";
  }
}
