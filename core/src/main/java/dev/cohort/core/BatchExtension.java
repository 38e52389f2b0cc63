package dev.cohort.core;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.SpeakingOrder;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.internal.design.DesignPlanner;
import dev.cohort.core.internal.design.GroupPlan;
import dev.cohort.core.internal.design.SpeakingOrders;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.batch.Simulation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The plan of one growth of a batch ({@link Cohort#extend}): reads the groups and openings the
 * batch has planned, asks its design for more, and numbers their simulations after the last one.
 *
 * @param request the batch's request with this extension recorded
 * @param groups how many new groups were planned
 * @param plannedSimulations the batch's planned simulations after the extension
 * @param simulations the new simulations, made as they are read
 */
record BatchExtension(BatchRequest request, int groups, long plannedSimulations, Iterator<Simulation> simulations) {

  static BatchExtension plan(BatchStore store, Batch batch, int more, long maxPlanned, Instant now) {
    BatchRequest request = batch.request();
    List<Entity> entities = batch.entities();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < entities.size(); i++) {
      index.put(entities.get(i).id(), i);
    }
    int replicates = request.replicates();
    List<int[]> existing = new ArrayList<>();
    int[] last = {0};
    @Nullable SpeakingOrders orders = request.speakingOrder() == SpeakingOrder.RANDOM ? null
        : new SpeakingOrders(request.speakingOrder());
    int copies = request.modelFactor().copiesPerPlanned();
    store.forEachSimulation(batch.id(), s -> {
      // A crossed batch runs each planned simulation once per model, in a row: the first copy
      // stands for them all.
      if ((s.sequenceNumber() - 1) % copies != 0) {
        last[0] = Math.max(last[0], s.sequenceNumber());
        return;
      }
      int sequence = request.modelFactor().groupSequence(s.sequenceNumber());
      // Sequence numbers are group × replicates + replicate + 1: the first replicate names the group.
      if ((sequence - 1) % replicates == 0) {
        int[] group = s.entityIds().stream().mapToInt(index::get).toArray();
        Arrays.sort(group);
        existing.add(group);
      }
      if (orders != null && !s.speakingOrder().isEmpty()) {
        orders.recordOpening(s.speakingOrder().get(0));
      }
      last[0] = Math.max(last[0], s.sequenceNumber());
    });
    GroupPlan plan = DesignPlanner.extend(request, entities, batch.seed(), existing, more);
    if (plan.planned() == 0) {
      throw new ValidationException("num_simulations", "no new group is left to add: the batch already has all "
          + plan.available() + " groups its design" + (request.constraints().isEmpty() ? "" : " and constraints")
          + " allow");
    }
    long planned = (long) (existing.size() + plan.planned()) * replicates * copies;
    if (planned > maxPlanned) {
      throw new ValidationException("num_simulations", "the batch would plan " + planned + " simulations in all;"
          + " at most " + maxPlanned + " fit in one batch");
    }
    List<Extension> extensions = new ArrayList<>(request.extensions());
    extensions.add(new Extension(more, plan.planned(), last[0] + 1));
    BatchRequest extended = request.toBuilder().extensions(extensions).build();
    Iterator<Simulation> simulations = BatchPlanner.simulations(batch.id(), extended, entities, plan.groups(), last[0],
        orders, now);
    return new BatchExtension(extended, plan.planned(), planned, simulations);
  }
}
