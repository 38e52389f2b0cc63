package dev.cohort.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.internal.codec.EntityJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The entity routes: store one entity or many, list them, read and delete one. Storing an entity
 * whose id exists replaces it; batches keep the snapshot taken when they were created.
 */
final class EntityRoutes {
  static final String BASE = "/api/entities";

  private final Cohort cohort;

  EntityRoutes(Cohort cohort) {
    this.cohort = cohort;
  }

  void register(Router router) {
    router.route("POST", BASE, this::save)
        .route("GET", BASE, this::list)
        .route("GET", BASE + "/{entity_id}", this::get)
        .route("DELETE", BASE + "/{entity_id}", this::delete);
  }

  private void save(ApiExchange exchange) throws IOException {
    EntityJson.Parsed parsed = EntityJson.readOneOrMany(exchange.jsonBody(), "body");
    cohort.saveEntities(parsed.entities());
    if (parsed.single()) {
      Entity entity = parsed.entities().get(0);
      exchange.success(201, gen -> EntityJson.write(gen, entity),
          Map.of("Location", BASE + "/" + UriComponents.encodeSegment(entity.id())));
    } else {
      exchange.success(201, gen -> writeEntities(gen, parsed.entities()));
    }
  }

  private void list(ApiExchange exchange) throws IOException {
    List<Entity> entities = cohort.listEntities();
    exchange.success(200, gen -> writeEntities(gen, entities));
  }

  private void get(ApiExchange exchange) throws IOException {
    Entity entity = cohort.getEntity(exchange.pathParameter("entity_id"));
    exchange.success(200, gen -> EntityJson.write(gen, entity));
  }

  private void delete(ApiExchange exchange) throws IOException {
    String id = exchange.pathParameter("entity_id");
    if (!cohort.deleteEntity(id)) {
      throw new NotFoundException("entity", id);
    }
    exchange.success(200, gen -> {
      gen.writeStartObject();
      gen.writeStringField("message", "Entity " + id + " deleted successfully");
      gen.writeEndObject();
    });
  }

  private static void writeEntities(JsonGenerator gen, List<Entity> entities)
      throws IOException {
    gen.writeStartArray();
    for (Entity entity : entities) {
      EntityJson.write(gen, entity);
    }
    gen.writeEndArray();
  }
}
