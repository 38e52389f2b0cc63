package dev.cohort.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.NotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort entities import FILE | list | show ID | delete ID}: the personas batches draw from. */
@Command(name = "entities", usageHelpAutoWidth = true,
    description = "Store, list, show and delete entities (personas).",
    subcommands = {EntitiesCommand.Import.class, EntitiesCommand.ListEntities.class, EntitiesCommand.Show.class,
        EntitiesCommand.Delete.class, HelpTopic.class})
final class EntitiesCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is required: import, list, show or delete");
  }

  /** Writes an entity in the shape {@code entities import} reads. */
  static void write(JsonGenerator gen, Entity entity) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", entity.id());
    gen.writeStringField("name", entity.name());
    gen.writeStringField("description", entity.description());
    gen.writeFieldName("attributes");
    gen.writeObject(entity.attributes());
    gen.writeEndObject();
  }

  /** {@code entities import FILE}. */
  @Command(name = "import", usageHelpAutoWidth = true,
      description = {"Store the entities of a JSON file (an array of entity objects or {\"entities\": [...]}), "
          + "replacing those with the same ids.",
          "An entity object: {\"id\": \"e1\", \"name\": \"Maya Chen\", \"description\": \"...\", \"attributes\": {...}}."})
  static final class Import implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The JSON file.")
    String file = "";

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      // A positional argument has no flag to name: messages start with "file '…'" alone.
      EntityFile parsed = EntityFile.read(Path.of("").toAbsolutePath().resolve(file), file, null);
      List<Entity> entities = parsed.entities();
      if (entities.isEmpty()) {
        throw UsageException.plain("file '" + file + "' holds entity ids only; importing needs entity "
            + "objects with at least an id and a name");
      }
      try (Session session = Session.forStore(store)) {
        Set<String> existing = session.repository().findEntities(entities.stream().map(Entity::id).toList())
            .stream().map(Entity::id).collect(Collectors.toSet());
        session.cohort().saveEntities(entities);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Imported " + entities.size() + (entities.size() == 1 ? " entity" : " entities")
            + (existing.isEmpty() ? "" : " (" + existing.size() + " replaced)") + " into " + store.safeUrl());
        out.flush();
      }
      return ExitCode.OK;
    }
  }

  /** {@code entities list}. */
  @Command(name = "list", usageHelpAutoWidth = true, description = "List the stored entities, ordered by id.")
  static final class ListEntities implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array that 'cohort entities import' reads back.")
    boolean json;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Session session = Session.forStore(store)) {
        List<Entity> entities = session.cohort().listEntities();
        if (json) {
          JsonPrinter.print(out, gen -> {
            gen.writeStartArray();
            for (Entity e : entities) {
              write(gen, e);
            }
            gen.writeEndArray();
          });
        } else if (entities.isEmpty()) {
          out.println("No entities in " + store.safeUrl() + "; store some with 'cohort entities import FILE'.");
        } else {
          Table table = new Table("ID", "NAME", "DESCRIPTION");
          for (Entity e : entities) {
            table.row(e.id(), e.name(), e.description() == null ? "" : Formats.shorten(e.description(), 70));
          }
          table.print(out);
        }
        out.flush();
      }
      return ExitCode.OK;
    }
  }

  /** {@code entities show ID}. */
  @Command(name = "show", usageHelpAutoWidth = true, description = "Print one entity as JSON.")
  static final class Show implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The entity's id.")
    String id = "";

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      try (Session session = Session.forStore(store)) {
        Cohort cohort = session.cohort();
        Entity entity = cohort.getEntity(id);
        JsonPrinter.print(spec.commandLine().getOut(), gen -> write(gen, entity));
      }
      return ExitCode.OK;
    }
  }

  /** {@code entities delete ID}. */
  @Command(name = "delete", usageHelpAutoWidth = true,
      description = "Delete one entity; batches keep their own copy of the entities they used.")
  static final class Delete implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The entity's id.")
    String id = "";

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      try (Session session = Session.forStore(store)) {
        if (!session.cohort().deleteEntity(id)) {
          throw new NotFoundException("entity", id);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Deleted entity " + id);
        out.flush();
      }
      return ExitCode.OK;
    }
  }
}
