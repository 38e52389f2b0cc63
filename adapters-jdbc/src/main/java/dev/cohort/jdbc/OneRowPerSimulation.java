package dev.cohort.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Settles a group of PostgreSQL writes that each change one simulation's row (grouped rounds and
 * finishes): the writes of distinct simulations in one call, sorted by simulation id so that
 * concurrent transactions lock their rows in the same order; the rest one by one. One by one go a
 * second write of a simulation already in the group (an {@code UPDATE … FROM} matches each row
 * once), a group of one, and every write of a call that failed: nothing of it holds, so each write
 * runs again alone and only its own failure fails it.
 */
final class OneRowPerSimulation {
  /** Runs the writes together; returns the ids of the simulations whose lease was held. */
  @FunctionalInterface
  interface Together<I> {
    Set<String> run(List<WriteCoalescer.Write<I, Boolean>> writes);
  }

  /** Runs one write alone; returns whether its lease was held. */
  @FunctionalInterface
  interface Alone<I> {
    boolean run(I write);
  }

  private OneRowPerSimulation() {}

  static <I> void settle(List<WriteCoalescer.Write<I, Boolean>> group, Function<I, String> simulationId,
      Together<I> together, Alone<I> alone) {
    Set<String> ids = new HashSet<>();
    List<WriteCoalescer.Write<I, Boolean>> distinct = new ArrayList<>(group.size());
    List<WriteCoalescer.Write<I, Boolean>> rest = new ArrayList<>();
    for (WriteCoalescer.Write<I, Boolean> w : group) {
      (ids.add(simulationId.apply(w.input())) ? distinct : rest).add(w);
    }
    if (distinct.size() == 1) {
      rest.add(distinct.get(0));
    } else {
      distinct.sort(Comparator.comparing(w -> simulationId.apply(w.input())));
      try {
        Set<String> held = together.run(distinct);
        for (WriteCoalescer.Write<I, Boolean> w : distinct) {
          w.succeed(held.contains(simulationId.apply(w.input())));
        }
      } catch (RuntimeException e) {
        rest.addAll(distinct);
      }
    }
    for (WriteCoalescer.Write<I, Boolean> w : rest) {
      try {
        w.succeed(alone.run(w.input()));
      } catch (RuntimeException e) {
        w.fail(e);
      }
    }
  }

  /**
   * Binds {@code columns} (one array per column, one element per write, of the SQL element types
   * {@code types}) to {@code ps}'s parameters in order, runs it and returns the ids it returned: the
   * simulations whose lease was held.
   */
  static Set<String> heldIds(Connection c, PreparedStatement ps, String[] types, Object[][] columns)
      throws SQLException {
    List<Array> arrays = new ArrayList<>(columns.length);
    try {
      for (int i = 0; i < columns.length; i++) {
        Array a = c.createArrayOf(types[i], columns[i]);
        arrays.add(a);
        ps.setArray(i + 1, a);
      }
      Set<String> held = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getString(1));
        }
      }
      return held;
    } finally {
      for (Array a : arrays) {
        a.free();
      }
    }
  }
}
