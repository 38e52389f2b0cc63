package dev.cohort.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort cache export --batch ID --output FILE | import FILE}: share response-cache entries. */
@Command(name = "cache", usageHelpAutoWidth = true,
    description = "Share the model answers a batch used, so others can replay it without a key (--cache-mode replay).",
    subcommands = {CacheCommand.Export.class, CacheCommand.Import.class, HelpTopic.class})
final class CacheCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: export or import");
  }

  /** Whether a file name asks for gzip. */
  static boolean gzipped(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  /** {@code cache export --batch ID --output FILE}. */
  @Command(name = "export", usageHelpAutoWidth = true,
      description = "Write exactly the cache entries a batch used, one JSON object per line (gzip when FILE ends in .gz).")
  static final class Export implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--batch", required = true, paramLabel = "ID", description = "The batch whose entries to write.")
    String batch = "";

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The file to write, such as cache.jsonl.gz.")
    String output = "";

    @Mixin
    CacheOptions cache = new CacheOptions();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      Path file = Path.of("").toAbsolutePath().resolve(output.strip());
      if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
        throw new UsageException("--output", "the folder " + file.getParent() + " does not exist");
      }
      long written;
      try (Session session = Session.forCache(store, cache);
          OutputStream raw = Files.newOutputStream(file);
          OutputStream out = gzipped(file) ? new GZIPOutputStream(raw) : raw) {
        written = session.cohort().exportCache(batch, out);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("Wrote " + written + (written == 1 ? " cache entry" : " cache entries") + " of batch " + batch
          + " to " + output.strip());
      err.flush();
      return ExitCode.OK;
    }
  }

  /** {@code cache import FILE}. */
  @Command(name = "import", usageHelpAutoWidth = true,
      description = "Store the entries of a file written by 'cohort cache export' (gzip or not); entries that fail"
          + " their SHA-256 check are skipped with a warning.")
  static final class Import implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file, such as cache.jsonl.gz.")
    String input = "";

    @Mixin
    CacheOptions cache = new CacheOptions();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      Path file = Path.of("").toAbsolutePath().resolve(input.strip());
      long imported;
      try (Session session = Session.forCache(store, cache);
          InputStream in = open(file)) {
        imported = session.cohort().importCache(in);
      } catch (NoSuchFileException e) {
        throw new UsageException("FILE", "'" + input + "' does not exist");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("Imported " + imported + (imported == 1 ? " cache entry" : " cache entries") + " from " + input.strip());
      err.flush();
      return ExitCode.OK;
    }

    /** The file's lines, gunzipped when it starts with gzip's magic bytes (whatever its name). */
    private static InputStream open(Path file) throws IOException {
      BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file));
      in.mark(2);
      int first = in.read();
      int second = in.read();
      in.reset();
      return first == 0x1f && second == 0x8b ? new GZIPInputStream(in) : in;
    }
  }
}
