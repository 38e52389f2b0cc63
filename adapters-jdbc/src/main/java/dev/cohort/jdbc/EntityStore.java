package dev.cohort.jdbc;

import dev.cohort.core.batch.Entity;
import dev.cohort.core.internal.codec.EntityJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The {@code entities} table. */
final class EntityStore {
  /** Most ids in one IN list; well below every dialect's limit on parameters. */
  static final int IN_LIST_CHUNK = 500;
  private static final String SELECT = "SELECT id, name, description, attributes FROM entities";

  private final Database db;

  EntityStore(Database db) {
    this.db = db;
  }

  void save(Collection<Entity> entities) {
    List<Entity> copy = List.copyOf(entities);
    if (copy.isEmpty()) {
      return;
    }
    db.write("save " + copy.size() + " entities", c -> {
      try (PreparedStatement ps = c.prepareStatement(db.sql().upsertEntity())) {
        for (Entity e : copy) {
          ps.setString(1, e.id());
          ps.setString(2, e.name());
          ps.setString(3, e.description());
          ps.setString(4, EntityJson.writeAttributes(e));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  Optional<Entity> find(String id) {
    Objects.requireNonNull(id, "id");
    return db.read("find entity " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(entity(rs)) : Optional.<Entity>empty();
        }
      }
    });
  }

  List<Entity> find(Collection<String> ids) {
    List<String> wanted = List.copyOf(ids);
    if (wanted.isEmpty()) {
      return List.of();
    }
    Map<String, Entity> found = db.read("find " + wanted.size() + " entities", c -> {
      Map<String, Entity> byId = new HashMap<>();
      List<String> distinct = wanted.stream().distinct().toList();
      for (int from = 0; from < distinct.size(); from += IN_LIST_CHUNK) {
        List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + IN_LIST_CHUNK));
        readInto(c, chunk, byId);
      }
      return byId;
    });
    List<Entity> out = new ArrayList<>();
    for (String id : wanted) {
      Entity e = found.get(id);
      if (e != null) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }

  private void readInto(Connection c, List<String> ids, Map<String, Entity> byId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        SELECT + " WHERE id IN (" + DialectSql.placeholders(ids.size()) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Entity e = entity(rs);
          byId.put(e.id(), e);
        }
      }
    }
  }

  List<Entity> list() {
    return db.read("list entities", c -> {
      List<Entity> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY " + db.sql().binaryOrder("id"));
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(entity(rs));
        }
      }
      return List.copyOf(out);
    });
  }

  boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    return db.write("delete entity " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM entities WHERE id = ?")) {
        ps.setString(1, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private Entity entity(ResultSet rs) throws SQLException {
    return new Entity(rs.getString(1), rs.getString(2), rs.getString(3), EntityJson.readAttributes(rs.getString(4)));
  }
}
