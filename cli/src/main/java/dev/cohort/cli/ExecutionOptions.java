package dev.cohort.cli;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Execution;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --execution}: whether a batch's calls go one by one or as provider batch jobs. */
final class ExecutionOptions {
  @Option(names = "--execution", paramLabel = "HOW", converter = ExecutionConverter.class,
      completionCandidates = ExecutionConverter.class,
      description = {"direct (default): each call is sent when its simulation needs it.",
          "batch-api: each round of every simulation goes to the provider's Batch API as one job (OpenAI, Azure"
              + " OpenAI): answered within 24 h at the batch discount (half price); needs OPENAI_API_KEY."})
  Execution execution = BatchRequest.DEFAULT_EXECUTION;

  /** Sets the request's execution. */
  BatchRequest.Builder applyTo(BatchRequest.Builder builder) {
    return builder.execution(execution);
  }

  /** {@code --execution}'s values by their command-line names ({@code batch-api}) or wire names, any case. */
  static final class ExecutionConverter implements ITypeConverter<Execution>, Iterable<String> {
    @Override
    public Execution convert(String value) {
      return Execution.fromWireName(value).orElseThrow(() -> new TypeConversionException(
          "'" + value + "' is not an execution; use direct or batch-api"));
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Execution.values()).map(Execution::cliName).iterator();
    }
  }
}
